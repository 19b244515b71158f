import { findModule, getModuleById, listModules } from '../store/module-repository';
import type { Module } from '../store/types';

/** A module on the command line: its Waymark id, or "<context id>" when only one platform has it. */
export async function resolveModuleArgument(value: string | undefined): Promise<Module> {
  if (!value) throw new Error('--module is required: the module id shown on the module page, or the Moodle course (context) id.');
  const byId = await getModuleById(value);
  if (byId) return byId;
  const matches = (await listModules()).filter((m) => m.contextId === value);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const platformId = matches[0]!.platformId;
    const exact = await findModule(platformId, value);
    throw new Error(`Context id ${value} exists on ${matches.length} platforms; pass the module id instead${exact ? ` (e.g. ${exact.id})` : ''}.`);
  }
  throw new Error(`No module ${value}. A module appears after its first launch from Moodle.`);
}
