import { Types } from 'mongoose';
import { markModuleViewChanged } from './module-repository';
import { MemberModel } from './models/member-model';
import { memberWriteKey, queuedWrite } from './document-write-queue';

// Flags staff set on a member by hand; kept apart from roster and launch updates, which never touch them. A launch's
// update of the same member waits for a flag's (and the other way round): on FerretDB v1 either could undo the other.

export async function setMemberNotLearner(moduleId: string, memberId: string, notLearner: boolean): Promise<boolean> {
  if (!Types.ObjectId.isValid(memberId)) return false;
  const res = await queuedWrite(memberWriteKey(memberId), () => MemberModel.updateOne({ _id: new Types.ObjectId(memberId), moduleId: new Types.ObjectId(moduleId) }, { $set: { notLearner } }));
  await markModuleViewChanged(moduleId, 'members');
  return res.matchedCount > 0;
}

/** Only visa-compliance staff or an administrator may call this (checked by the caller). */
export async function setMemberSponsoredVisa(moduleId: string, memberId: string, sponsoredVisa: boolean): Promise<boolean> {
  if (!Types.ObjectId.isValid(memberId)) return false;
  const res = await queuedWrite(memberWriteKey(memberId), () => MemberModel.updateOne({ _id: new Types.ObjectId(memberId), moduleId: new Types.ObjectId(moduleId) }, { $set: { sponsoredVisa } }));
  await markModuleViewChanged(moduleId, 'members');
  return res.matchedCount > 0;
}
