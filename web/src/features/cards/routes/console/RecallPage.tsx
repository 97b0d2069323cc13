import { RecallPage } from './MovementPage';

export default RecallPage;
