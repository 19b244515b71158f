import { listMemberEvents } from '../store/event-repository';
import type { Member } from '../store/types';

export interface LearnerLaunchesView {
  name: string;
  firstLaunchAt: Date | null;
  lastLaunchAt: Date | null;
  launches: Array<{ at: Date }>;
}

export async function buildLearnerLaunchesView(member: Member): Promise<LearnerLaunchesView> {
  const events = await listMemberEvents(member.moduleId, member.id, 'launch', 50);
  return {
    name: member.name || `User ${member.userId}`,
    firstLaunchAt: member.firstLaunchAt,
    lastLaunchAt: member.lastLaunchAt,
    launches: events.map((e) => ({ at: e.occurredAt })),
  };
}
