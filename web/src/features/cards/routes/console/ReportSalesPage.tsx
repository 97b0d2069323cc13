import { SalesReportPage } from './ReportPage';

export default SalesReportPage;
