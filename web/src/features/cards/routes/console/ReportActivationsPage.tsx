import { ActivationsReportPage } from './ReportPage';

export default ActivationsReportPage;
