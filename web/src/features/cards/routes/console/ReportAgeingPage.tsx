import { AgeingReportPage } from './ReportPage';

export default AgeingReportPage;
