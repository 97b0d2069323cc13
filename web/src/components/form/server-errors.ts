// Puts the server's field errors (problem+json errors[].field, e.g. "holder.id_number" or
// "beneficiaries[0].share_percent") onto the fields of a form of antd or antd-mobile (both are
// rc-field-form underneath and share setFields), and hands back the errors no field shows.
import type { ApiError, FieldProblem } from '../../lib/api/errors';

export type NamePath = (string | number)[];

// The form's name path of a server field path: "beneficiaries[0].name" -> ["beneficiaries", 0, "name"].
export function fieldNamePath(field: string): NamePath {
  const path: NamePath = [];
  for (const segment of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!m) {
      path.push(segment);
      continue;
    }
    if (m[1]) path.push(m[1]);
    for (const index of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

// The server field path of a form name path: ["beneficiaries", 0, "name"] -> "beneficiaries[0].name".
export function serverFieldPath(path: NamePath): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${part}` : part;
  }, '');
}

interface FieldError {
  name: NamePath;
  errors: string[];
}

// The part of an antd / antd-mobile FormInstance used here (typed loosely: their setFields is
// typed by each form's own values).
export interface FieldSink {
  setFields: (fields: never[]) => void;
}

export interface ServerErrorOptions {
  // Which server fields this form shows, as server paths; a pattern may use [*] for any index
  // ("beneficiaries[*].name"). Errors of other fields are returned, not set.
  fields: readonly string[];
  // Shows the errors of one server field at another field: e.g. "holder.birth_date" at
  // "holder.id_number" when the birth date is read from a resident ID number and has no input.
  aliases?: Readonly<Record<string, string>>;
}

function matches(pattern: string, field: string): boolean {
  if (!pattern.includes('[*]')) return pattern === field;
  const regex = new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\[\*\]/g, '\\[\\d+\\]')}$`);
  return regex.test(field);
}

// Splits the errors of `error` into those the form shows at a field (by the field's server path,
// several errors of one field together) and the rest, for a summary above the form.
export function partitionServerErrors(
  error: ApiError,
  options: ServerErrorOptions,
): { atFields: Map<string, string[]>; rest: FieldProblem[] } {
  const atFields = new Map<string, string[]>();
  const rest: FieldProblem[] = [];
  for (const problem of error.errors) {
    const target = options.aliases?.[problem.field] ?? problem.field;
    if (options.fields.some((pattern) => matches(pattern, target))) {
      atFields.set(target, [...(atFields.get(target) ?? []), problem.message]);
    } else {
      rest.push(problem);
    }
  }
  return { atFields, rest };
}

// Sets each error of `error` that the form shows on its field and returns the rest.
export function applyServerErrors(form: FieldSink, error: ApiError, options: ServerErrorOptions): FieldProblem[] {
  const { atFields, rest } = partitionServerErrors(error, options);
  if (atFields.size > 0) {
    const fields: FieldError[] = [...atFields].map(([field, errors]) => ({ name: fieldNamePath(field), errors }));
    form.setFields(fields as never[]);
  }
  return rest;
}
