import { StockReportPage } from './ReportPage';

export default StockReportPage;
