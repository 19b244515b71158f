import type { CourseInput, LineItemInput, MemberInput, MemberStatus, ResultInput } from './platform-types';

export interface Course {
  id: string;
  title: string;
  label: string;
}

export interface Member extends MemberInput {
  status: MemberStatus;
}

/** A grade item; ownerTypeId is the tool type it belongs to (undefined = every tool sees it). */
export interface LineItem {
  itemId: number;
  courseId: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  endDateTime?: string;
  tag?: string;
  resourceId?: string;
  ownerTypeId?: number;
}

/** Moodle's full name is "firstname lastname" unless the test gave one. */
export function fullNameOf(member: MemberInput): string {
  return member.name ?? [member.givenName, member.familyName].filter(Boolean).join(' ');
}

/** Moodle lists a line item only to the tool type that owns it; unowned items are shared. */
export function isVisibleToTool(item: LineItem, typeId: number): boolean {
  return item.ownerTypeId === undefined || item.ownerTypeId === typeId;
}

export interface Result extends ResultInput {
  timestamp: string;
}

/** Courses, enrolments and gradebook columns, in insertion order like Moodle's default sort. */
export class CourseStore {
  private readonly courses = new Map<string, Course>();
  private readonly members = new Map<string, Map<string, Member>>();
  private readonly lineItems = new Map<number, LineItem>();
  private readonly results = new Map<number, Map<string, Result>>();
  /** Grade item ids are site-wide in Moodle, not per course. */
  private lastItemId = 0;

  addCourse(input: CourseInput): void {
    if (this.courses.has(input.id)) throw new Error(`Course ${input.id} already exists`);
    this.courses.set(input.id, { id: input.id, title: input.title, label: input.label ?? input.title });
    this.members.set(input.id, new Map());
  }

  findCourse(courseId: string): Course | undefined {
    return this.courses.get(courseId);
  }

  course(courseId: string): Course {
    const course = this.courses.get(courseId);
    if (!course) throw new Error(`No course ${courseId}`);
    return course;
  }

  addMember(courseId: string, input: MemberInput): void {
    this.roster(courseId).set(input.userId, { ...input, roles: [...input.roles], status: input.status ?? 'Active' });
  }

  removeMember(courseId: string, userId: string): void {
    this.roster(courseId).delete(userId);
  }

  setMemberStatus(courseId: string, userId: string, status: MemberStatus): void {
    const member = this.roster(courseId).get(userId);
    if (!member) throw new Error(`User ${userId} is not enrolled in course ${courseId}`);
    member.status = status;
  }

  member(courseId: string, userId: string): Member | undefined {
    return this.roster(courseId).get(userId);
  }

  membersOf(courseId: string): Member[] {
    return [...this.roster(courseId).values()];
  }

  addLineItem(courseId: string, input: Omit<LineItemInput, 'clientId'>, ownerTypeId: number | undefined): LineItem {
    this.course(courseId);
    const item: LineItem = { ...input, itemId: ++this.lastItemId, courseId, ownerTypeId };
    this.lineItems.set(item.itemId, item);
    this.results.set(item.itemId, new Map());
    return item;
  }

  lineItem(courseId: string, itemId: number): LineItem | undefined {
    const item = this.lineItems.get(itemId);
    return item?.courseId === courseId ? item : undefined;
  }

  lineItemsOf(courseId: string): LineItem[] {
    return [...this.lineItems.values()].filter((item) => item.courseId === courseId);
  }

  /** One result per user and item, as in Moodle's gradebook: a second write replaces the first. */
  addResult(itemId: number, input: ResultInput): void {
    const results = this.results.get(itemId);
    if (!results) throw new Error(`No line item ${itemId}`);
    results.set(input.userId, { ...input, timestamp: input.timestamp ?? new Date().toISOString() });
  }

  resultsOf(itemId: number): Result[] {
    return [...(this.results.get(itemId)?.values() ?? [])];
  }

  private roster(courseId: string): Map<string, Member> {
    const roster = this.members.get(courseId);
    if (!roster) throw new Error(`No course ${courseId}`);
    return roster;
  }
}
