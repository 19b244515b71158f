import { Types } from 'mongoose';
import { DataReportModel } from './models/data-report-model';

export interface DataReport {
  id: string;
  memberId: string;
  source: string | null;
  text: string;
  status: 'new' | 'seen' | 'resolved';
  staffNote: string;
  createdAt: Date;
}

export async function createDataReport(r: { moduleId: string; memberId: string; source: string | null; text: string }): Promise<DataReport> {
  const d = await DataReportModel.create({ ...r, moduleId: new Types.ObjectId(r.moduleId), memberId: new Types.ObjectId(r.memberId) });
  return { id: String(d._id), memberId: r.memberId, source: r.source, text: r.text, status: 'new', staffNote: '', createdAt: d.createdAt };
}

export async function listDataReports(moduleId: string, memberId: string): Promise<DataReport[]> {
  const docs = await DataReportModel.find({ moduleId: new Types.ObjectId(moduleId), memberId: new Types.ObjectId(memberId) }).sort({ createdAt: -1 }).lean();
  return docs.map((d) => ({
    id: String(d._id),
    memberId: String(d.memberId),
    source: d.source ?? null,
    text: d.text,
    status: d.status as DataReport['status'],
    staffNote: d.staffNote ?? '',
    createdAt: d.createdAt,
  }));
}

/** Reports nobody on the staff has looked at yet, oldest first, for the dashboard's "waiting for a reply". */
export async function listNewDataReports(moduleId: string): Promise<Array<{ memberId: string; createdAt: Date }>> {
  const docs = await DataReportModel.find({ moduleId: new Types.ObjectId(moduleId), status: 'new' }, { memberId: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean();
  return docs.map((d) => ({ memberId: String(d.memberId), createdAt: d.createdAt }));
}

export async function updateDataReport(moduleId: string, reportId: string, change: { status: DataReport['status']; staffNote: string }): Promise<boolean> {
  if (!Types.ObjectId.isValid(reportId)) return false;
  const res = await DataReportModel.updateOne({ _id: new Types.ObjectId(reportId), moduleId: new Types.ObjectId(moduleId) }, { $set: change });
  return res.matchedCount > 0;
}
