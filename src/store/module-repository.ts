import { Types, trusted } from 'mongoose';
import { ModuleModel } from './models/module-model';
import type { Module } from './types';

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
  const doc = await ModuleModel.findOneAndUpdate(
    { platformId: m.platformId, contextId: m.contextId },
    { $set: set },
    { upsert: true, new: true },
  ).lean();
  return toModule(doc as Record<string, unknown>);
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
  await ModuleModel.updateOne({ _id: moduleId }, { $set: set });
}

export async function recordAssignmentSync(moduleId: string, result: { at: Date; error: string | null }): Promise<void> {
  const set: Record<string, unknown> = { assignmentsSyncError: result.error };
  if (!result.error) set.assignmentsSyncedAt = result.at;
  await ModuleModel.updateOne({ _id: moduleId }, { $set: set });
}

/** The module's time zone decides its day boundaries; changing it means rebuilding rollups. */
export async function setModuleTimeZone(moduleId: string, timeZone: string): Promise<boolean> {
  const res = await ModuleModel.updateOne({ _id: moduleId, timeZone: trusted({ $ne: timeZone }) }, { $set: { timeZone } });
  return res.modifiedCount > 0;
}

/** New engagement data for the module: its stored analysis is now out of date. */
export async function markModuleDataChanged(moduleId: string): Promise<void> {
  await ModuleModel.updateOne({ _id: new Types.ObjectId(moduleId) }, { $inc: { dataVersion: 1 } });
}

/**
 * The module's members, alerts or stored analysis were just written: pages holding them in memory must read them
 * again. Called after the write (never before), so a reader that saw the old version reloads on its next request.
 */
export async function markModuleViewChanged(moduleIds: string | readonly string[]): Promise<void> {
  for (const id of new Set(typeof moduleIds === 'string' ? [moduleIds] : moduleIds)) {
    if (Types.ObjectId.isValid(id)) await ModuleModel.updateOne({ _id: new Types.ObjectId(id) }, { $inc: { viewVersion: 1 } });
  }
}

/** The module's view version, or null for an unknown module: one read by _id, a keyed lookup on every database. */
export async function readModuleViewVersion(moduleId: string): Promise<number | null> {
  if (!Types.ObjectId.isValid(moduleId)) return null;
  const d = await ModuleModel.findById(new Types.ObjectId(moduleId), { viewVersion: 1 }).lean();
  return d ? Number((d as { viewVersion?: number }).viewVersion ?? 0) : null;
}
