// The server's refusal of a form's request: its field errors put on the fields that show them,
// the others kept for the summary above the form (<Problem rest={rest} />).
import { useCallback, useState } from 'react';

import { isApiError, type FieldProblem } from '../../lib/api/errors';
import { applyServerErrors, type FieldSink, type ServerErrorOptions } from './server-errors';

export function useServerErrors(form: FieldSink, options: ServerErrorOptions) {
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const { fields, aliases } = options;
  const onError = useCallback(
    (error: unknown) => setRest(isApiError(error) ? applyServerErrors(form, error, { fields, aliases }) : []),
    // The field list is a constant of each form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [form],
  );
  const clear = useCallback(() => setRest([]), []);
  return { rest, onError, clear };
}
