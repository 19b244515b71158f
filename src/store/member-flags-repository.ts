import { Types } from 'mongoose';
import { markModuleViewChanged } from './module-repository';
import { MemberModel } from './models/member-model';

// Flags staff set on a member by hand; kept apart from roster and launch updates, which never touch them.

export async function setMemberNotLearner(moduleId: string, memberId: string, notLearner: boolean): Promise<boolean> {
  if (!Types.ObjectId.isValid(memberId)) return false;
  const res = await MemberModel.updateOne({ _id: new Types.ObjectId(memberId), moduleId: new Types.ObjectId(moduleId) }, { $set: { notLearner } });
  await markModuleViewChanged(moduleId, 'members');
  return res.matchedCount > 0;
}

/** Only visa-compliance staff or an administrator may call this (checked by the caller). */
export async function setMemberSponsoredVisa(moduleId: string, memberId: string, sponsoredVisa: boolean): Promise<boolean> {
  if (!Types.ObjectId.isValid(memberId)) return false;
  const res = await MemberModel.updateOne({ _id: new Types.ObjectId(memberId), moduleId: new Types.ObjectId(moduleId) }, { $set: { sponsoredVisa } });
  await markModuleViewChanged(moduleId, 'members');
  return res.matchedCount > 0;
}
