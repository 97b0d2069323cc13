import { IssuePage } from './MovementPage';

export default IssuePage;
