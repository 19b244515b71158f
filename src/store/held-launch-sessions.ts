import { findLaunchSession, touchLaunchSession, type LaunchSession } from './launch-session-repository';
import { getModuleById } from './module-repository';
import type { Module } from './types';

// Every page request finds its launch session, and on FerretDB v1 that lookup by _id scans every session of the
// idle time (one per launch). So this process holds the sessions it stored or read, each with the version of its
// module's members it was read under. The module is read on every request anyway; erasure removes a person's
// sessions and then raises that version, so a held session is read again as soon as the members change. A held
// session's lastSeenAt may lag another instance's: it can only make a session look idle, never fresh, and the
// caller then asks for the stored one.

const MAX_AGE_MS = 5 * 60_000;
const MAX_HELD = 10_000;
// Read without a version to check against: the next request reads it again under the module's version.
const UNCHECKED = -1;

interface Held {
  session: LaunchSession;
  membersVersion: number;
  heldAt: number;
}

const held = new Map<string, Held>();

export interface SessionWithModule {
  session: LaunchSession;
  module: Module;
}

/** Holds a session this process has just stored, read after the module's members were at `membersVersion`. */
export function holdLaunchSession(session: LaunchSession, membersVersion: number): void {
  if (held.size >= MAX_HELD) held.clear();
  const frozen = Object.freeze({ ...session, roles: Object.freeze([...session.roles]), mentorScope: Object.freeze([...session.mentorScope]) }) as LaunchSession;
  held.set(session.sessionId, { session: frozen, membersVersion, heldAt: Date.now() });
}

/** Records that the session was used at `at`, stored and in what this process holds (so it does not look idle). */
export async function touchHeldLaunchSession(sessionId: string, at: Date): Promise<void> {
  await touchLaunchSession(sessionId, at);
  const h = held.get(sessionId);
  if (h) holdLaunchSession({ ...h.session, lastSeenAt: at }, h.membersVersion);
}

async function readAndHold(sessionId: string, module: Module): Promise<SessionWithModule | null> {
  const session = await findLaunchSession(sessionId);
  if (!session || session.moduleId !== module.id) {
    held.delete(sessionId);
    return null;
  }
  holdLaunchSession(session, module.viewVersions.members);
  return { session, module };
}

/**
 * The launch session and its module, or null if either is gone. `stored` skips what this process holds (to
 * decide that a session is idle on the stored lastSeenAt).
 */
export async function launchSessionWithModule(sessionId: string, o: { stored?: boolean } = {}): Promise<SessionWithModule | null> {
  const h = o.stored ? undefined : held.get(sessionId);
  if (h && Date.now() - h.heldAt < MAX_AGE_MS) {
    const module = await getModuleById(h.session.moduleId);
    if (!module) {
      held.delete(sessionId);
      return null;
    }
    if (module.viewVersions.members === h.membersVersion) return { session: h.session, module };
    return readAndHold(sessionId, module);
  }
  const session = await findLaunchSession(sessionId);
  const module = session && (await getModuleById(session.moduleId));
  if (!session || !module) {
    held.delete(sessionId);
    return null;
  }
  holdLaunchSession(session, UNCHECKED);
  return { session, module };
}
