// The server's refusal of a form's request: its field errors put on the fields that show them,
// the others kept for the summary above the form (<Problem rest={rest} />).
import { useCallback, useEffect, useMemo, useState } from 'react';

import { isApiError, type FieldProblem } from '../../lib/api/errors';
import { applyServerErrors, fieldNamePath, partitionServerErrors, type FieldSink, type ServerErrorOptions } from './server-errors';

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

// The field errors of a failed query (not a form submit): put on the form's fields whenever the
// error changes; returns the rest for the summary.
export function useFieldErrorsOf(form: FieldSink, error: unknown, fields: readonly string[]): FieldProblem[] {
  const split = useMemo(() => (isApiError(error) ? partitionServerErrors(error, { fields }) : null), [error, fields]);
  useEffect(() => {
    if (!split || split.atFields.size === 0) return;
    form.setFields([...split.atFields].map(([field, errors]) => ({ name: fieldNamePath(field), errors })) as never[]);
  }, [form, split]);
  return split?.rest ?? [];
}
