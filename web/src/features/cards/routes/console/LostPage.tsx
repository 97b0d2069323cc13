import CardPage from './CardPage';

export default function LostPage() {
  return <CardPage lost />;
}
