import { Types, trusted } from 'mongoose';
import { ModuleModel } from './models/module-model';
import { forgetViewVersionsInScope } from './view-versions-scope';
import { isDuplicateKey } from './duplicate-key';
import { retryingBusy } from './busy-retry';
import { moduleWriteKey, queuedWrite } from './document-write-queue';
import type { Module, ModuleViewPart, ModuleViewVersions } from './types';

// Every launch and every writer of what pages hold writes the module's document, so on FerretDB concurrent
// launches meet here. Every update of it goes through writeModule: one at a time per module in this process
// (document-write-queue), and again when SQLite refuses it as busy (busy-retry).

function writeModule<T>(moduleId: string, write: () => Promise<T>): Promise<T> {
  return queuedWrite(moduleWriteKey(moduleId), () => retryingBusy(write));
}

function viewVersionsOf(d: Record<string, unknown>): ModuleViewVersions {
  const v = (d.viewVersions as Partial<Record<ModuleViewPart, number>> | undefined) ?? {};
  return { members: v.members ?? 0, alerts: v.alerts ?? 0, analysis: v.analysis ?? 0 };
}

function toModule(d: Record<string, unknown>): Module {
  return {
    id: String(d._id),
    platformId: String(d.platformId),
    contextId: String(d.contextId),
    deploymentId: String(d.deploymentId),
    title: String(d.title ?? ''),
    label: String(d.label ?? ''),
    timeZone: String(d.timeZone ?? 'Europe/London'),
    nrpsUrl: (d.nrpsUrl as string | null) ?? null,
    agsLineItemsUrl: (d.agsLineItemsUrl as string | null) ?? null,
    rosterSyncedAt: (d.rosterSyncedAt as Date | null) ?? null,
    rosterSyncError: (d.rosterSyncError as string | null) ?? null,
    assignmentsSyncedAt: (d.assignmentsSyncedAt as Date | null) ?? null,
    assignmentsSyncError: (d.assignmentsSyncError as string | null) ?? null,
    dataVersion: Number(d.dataVersion ?? 0),
    viewVersions: viewVersionsOf(d),
    createdAt: (d.createdAt as Date | undefined) ?? new Date(0),
  };
}

export interface ModuleFromLaunch {
  platformId: string;
  contextId: string;
  deploymentId: string;
  title: string;
  label: string;
  nrpsUrl: string | null;
  agsLineItemsUrl: string | null;
}

export async function upsertModuleFromLaunch(m: ModuleFromLaunch): Promise<Module> {
  const set: Record<string, unknown> = { deploymentId: m.deploymentId, title: m.title, label: m.label };
  // A launch without service claims must not forget the endpoints an earlier launch gave us.
  if (m.nrpsUrl) set.nrpsUrl = m.nrpsUrl;
  if (m.agsLineItemsUrl) set.agsLineItemsUrl = m.agsLineItemsUrl;
  const found = await findModule(m.platformId, m.contextId);
  if (found) return updateModuleFromLaunch(found, set);
  try {
    const doc = await retryingBusy(() => ModuleModel.findOneAndUpdate({ platformId: m.platformId, contextId: m.contextId }, { $set: set }, { upsert: true, new: true }).lean());
    return toModule(doc as Record<string, unknown>);
  } catch (err) {
    // The first launches into a new module race: all but one insert are refused by the unique index (MongoDB
    // retries such an upsert itself, FerretDB does not), and then update the module the winner inserted.
    if (!isDuplicateKey(err)) throw err;
    const inserted = await findModule(m.platformId, m.contextId);
    if (!inserted) throw err;
    return updateModuleFromLaunch(inserted, set);
  }
}

/** Most launches change nothing in their module, and then write nothing. */
async function updateModuleFromLaunch(found: Module, set: Record<string, unknown>): Promise<Module> {
  if (Object.entries(set).every(([k, v]) => found[k as keyof Module] === v)) return found;
  const doc = await writeModule(found.id, () => ModuleModel.findOneAndUpdate({ _id: new Types.ObjectId(found.id) }, { $set: set }, { new: true }).lean());
  return doc ? toModule(doc as Record<string, unknown>) : found;
}

export async function findModule(platformId: string, contextId: string): Promise<Module | null> {
  const doc = await ModuleModel.findOne({ platformId, contextId }).lean();
  return doc ? toModule(doc as Record<string, unknown>) : null;
}

export async function getModuleById(moduleId: string): Promise<Module | null> {
  if (!Types.ObjectId.isValid(moduleId)) return null;
  const doc = await ModuleModel.findById(moduleId).lean();
  return doc ? toModule(doc as Record<string, unknown>) : null;
}

export async function listModules(): Promise<Module[]> {
  const docs = await ModuleModel.find({}).sort({ platformId: 1, contextId: 1 }).lean();
  return docs.map((d) => toModule(d as Record<string, unknown>));
}

export async function recordRosterSync(moduleId: string, result: { at: Date; error: string | null }): Promise<void> {
  const set: Record<string, unknown> = { rosterSyncError: result.error };
  if (!result.error) set.rosterSyncedAt = result.at;
  await writeModule(moduleId, () => ModuleModel.updateOne({ _id: moduleId }, { $set: set }));
}

export async function recordAssignmentSync(moduleId: string, result: { at: Date; error: string | null }): Promise<void> {
  const set: Record<string, unknown> = { assignmentsSyncError: result.error };
  if (!result.error) set.assignmentsSyncedAt = result.at;
  await writeModule(moduleId, () => ModuleModel.updateOne({ _id: moduleId }, { $set: set }));
}

/** The module's time zone decides its day boundaries; changing it means rebuilding rollups. */
export async function setModuleTimeZone(moduleId: string, timeZone: string): Promise<boolean> {
  const res = await writeModule(moduleId, () => ModuleModel.updateOne({ _id: moduleId, timeZone: trusted({ $ne: timeZone }) }, { $set: { timeZone } }));
  return res.modifiedCount > 0;
}

/**
 * Claims the module's platform sync for `ms` unless another process holds it: the module as claimed (with the
 * latest sync times), or null.
 */
export async function claimModuleSync(moduleId: string, now: Date, ms: number): Promise<Module | null> {
  const filter = { _id: new Types.ObjectId(moduleId), $or: [{ syncClaimedUntil: null }, { syncClaimedUntil: trusted({ $lte: now }) }] };
  const doc = await writeModule(moduleId, () => ModuleModel.findOneAndUpdate(filter, { $set: { syncClaimedUntil: new Date(now.getTime() + ms) } }, { new: true }).lean());
  return doc ? toModule(doc as Record<string, unknown>) : null;
}

/** Ends a claim, or keeps the module from being claimed again until `until`. */
export async function releaseModuleSync(moduleId: string, until: Date | null = null): Promise<void> {
  await writeModule(moduleId, () => ModuleModel.updateOne({ _id: new Types.ObjectId(moduleId) }, { $set: { syncClaimedUntil: until } }));
}

/** New engagement data for the module: its stored analysis is now out of date. */
export async function markModuleDataChanged(moduleId: string): Promise<void> {
  await writeModule(moduleId, () => ModuleModel.updateOne({ _id: new Types.ObjectId(moduleId) }, { $inc: { dataVersion: 1 } }));
}

/**
 * Part of what pages read of these modules was just written: pages holding it in memory must read it again.
 * Called after the write (never before), so a reader that saw the old version reloads on its next request.
 */
export async function markModuleViewChanged(moduleIds: string | readonly string[], part: ModuleViewPart, ...more: ModuleViewPart[]): Promise<void> {
  const inc = Object.fromEntries([part, ...more].map((p) => [`viewVersions.${p}`, 1]));
  for (const id of new Set(typeof moduleIds === 'string' ? [moduleIds] : moduleIds)) {
    if (Types.ObjectId.isValid(id)) await writeModule(id, () => ModuleModel.updateOne({ _id: new Types.ObjectId(id) }, { $inc: inc }));
    forgetViewVersionsInScope(id);
  }
}

/**
 * markModuleViewChanged for one part of one module, returning the version it raised the part to (null for an
 * unknown module): a writer that raised it by exactly one knows no other completed write came in between.
 */
export async function raiseModuleViewVersion(moduleId: string, part: ModuleViewPart): Promise<number | null> {
  if (!Types.ObjectId.isValid(moduleId)) return null;
  // The whole (small) document: FerretDB v1 has no projection on findAndModify.
  const d = await writeModule(moduleId, () => ModuleModel.findOneAndUpdate({ _id: new Types.ObjectId(moduleId) }, { $inc: { [`viewVersions.${part}`]: 1 } }, { new: true }).lean());
  forgetViewVersionsInScope(moduleId);
  return d ? viewVersionsOf(d as Record<string, unknown>)[part] : null;
}

/** The module's view versions, or null for an unknown module: one read by _id of a small collection. */
export async function readModuleViewVersions(moduleId: string): Promise<ModuleViewVersions | null> {
  if (!Types.ObjectId.isValid(moduleId)) return null;
  const d = await ModuleModel.findById(new Types.ObjectId(moduleId), { viewVersions: 1 }).lean();
  return d ? viewVersionsOf(d as Record<string, unknown>) : null;
}
