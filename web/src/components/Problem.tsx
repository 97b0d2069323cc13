import { useTranslation } from 'react-i18next';

import type { FieldProblem } from '../lib/api/errors';
import { isApiError } from '../lib/api/errors';

// The sentence to show for a failed call: the server's detail (already in the chosen language),
// or ours when no problem+json came back.
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (isApiError(error)) {
      if (error.code === 'network_error') return t('errors.network');
      if (error.detail) return error.detail;
    }
    return t('errors.unexpected');
  };
}

// A failed call shown above a form: what went wrong, the field errors that no field of the form
// shows, and the request id to quote to support. Renders nothing without an error.
export function Problem({ error, rest = [] }: { error: unknown; rest?: readonly FieldProblem[] }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (!error) return null;
  const requestId = isApiError(error) ? error.requestId : null;
  return (
    <div className="ax-problem" role="alert">
      <p className="ax-problem-detail">{errorText(error)}</p>
      {rest.length > 0 && (
        <ul className="ax-problem-fields">
          {rest.map((problem) => (
            <li key={`${problem.field}:${problem.code}`}>{problem.message}</li>
          ))}
        </ul>
      )}
      {requestId && <p className="ax-problem-request">{t('errors.requestId', { id: requestId })}</p>}
    </div>
  );
}
