import { KeyResolutionError, KeyTemplateError } from './core.errors';
import { keyFunctionName, keyTemplateProblem } from './core.messages';

/** Computes keys from the call's arguments; for keys a literal template cannot express. */
export type KeyFunction = (...args: never[]) => string | readonly string[];

/** `'payment:{0.id}'`-style template, or a function of the method's arguments. */
export type KeySource = string | KeyFunction;

/** Resolves the keys for one call. Always at least one non-empty key. */
export type KeyResolver = (args: readonly unknown[]) => string[];

/** The method a template belongs to; `DiscoveredMethod` fits as is. */
export interface KeyTemplateTarget {
  readonly className: string;
  readonly methodName: string;
  /** `design:paramtypes`; enables the primitive-path check and beats `arity`. */
  readonly paramTypes?: readonly unknown[];
  readonly arity?: number;
}

interface Placeholder {
  readonly index: number;
  readonly path: readonly string[];
  readonly source: string;
}

type Part = string | Placeholder;

const INDEX = /^(0|[1-9]\d*)$/;
const PROPERTY = /^[A-Za-z0-9_$]+$/;
const PRIMITIVE_TYPES: readonly unknown[] = [String, Number, Boolean, BigInt, Symbol];

/**
 * Compiles a key template once, at start-up. Placeholders are `{N}` or `{N.path.to.prop}`
 * (N = argument index); `{{` and `}}` are literal braces. Anything wrong that can be known
 * before a call throws `KeyTemplateError` here; a call whose value is missing throws
 * `KeyResolutionError`.
 */
export function compileKeyTemplate(template: KeySource, target: KeyTemplateTarget): KeyResolver {
  if (typeof template === 'function') return compileKeyFunction(template, target);
  const fail = (problem: string): never => {
    throw new KeyTemplateError(
      keyTemplateProblem(target.className, target.methodName, String(template), problem),
    );
  };
  if (typeof template !== 'string') return fail('it is neither a string nor a function');
  const parts = parseTemplate(template, fail);
  checkAgainstTarget(parts, target, fail);
  return buildResolver(parts, template, target);
}

function parseTemplate(template: string, fail: (problem: string) => never): Part[] {
  if (template.length === 0) fail('it is empty');
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '{' && template[i + 1] === '{') {
      literal += '{';
      i += 2;
    } else if (ch === '}' && template[i + 1] === '}') {
      literal += '}';
      i += 2;
    } else if (ch === '}') {
      fail(`"}" at position ${i} has no matching "{"`);
    } else if (ch === '{') {
      const end = template.indexOf('}', i + 1);
      const nextOpen = template.indexOf('{', i + 1);
      if (end === -1 || (nextOpen !== -1 && nextOpen < end)) {
        fail(`"{" at position ${i} is not closed by "}"`);
      }
      if (literal) parts.push(literal);
      literal = '';
      parts.push(parsePlaceholder(template.slice(i + 1, end), fail));
      i = end + 1;
    } else {
      literal += ch;
      i++;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

function parsePlaceholder(body: string, fail: (problem: string) => never): Placeholder {
  const source = `{${body}}`;
  if (body.length === 0) fail('"{}" has no argument index');
  const [first, ...path] = body.split('.');
  if (!INDEX.test(first)) {
    fail(`"${source}" must start with an argument index (0, 1, ...), not "${first}"`);
  }
  for (const name of path) {
    if (!PROPERTY.test(name)) {
      fail(
        name === ''
          ? `"${source}" has an empty property name`
          : `"${source}" has an invalid property name "${name}"`,
      );
    }
  }
  return { index: Number(first), path, source };
}

function checkAgainstTarget(
  parts: readonly Part[],
  target: KeyTemplateTarget,
  fail: (problem: string) => never,
): void {
  const count = target.paramTypes?.length ?? target.arity;
  for (const part of parts) {
    if (typeof part === 'string') continue;
    if (count !== undefined && part.index >= count) {
      fail(`"${part.source}" refers to argument ${part.index}, but the method takes ${count}`);
    }
    const type = target.paramTypes?.[part.index];
    if (part.path.length > 0 && PRIMITIVE_TYPES.includes(type)) {
      const typeName = (type as { name: string }).name;
      fail(`"${part.source}" reads a property of argument ${part.index}, which is a ${typeName}`);
    }
  }
}

function buildResolver(parts: readonly Part[], template: string, target: KeyTemplateTarget) {
  const read = (p: Placeholder, args: readonly unknown[]): string => {
    let value = args[p.index];
    for (let k = 0; k < p.path.length; k++) {
      if (value === undefined || value === null) {
        const at = `{${[p.index, ...p.path.slice(0, k)].join('.')}}`;
        throw resolutionError(target, template, p.source, `${at} is ${String(value)}`);
      }
      value = (value as Record<string, unknown>)[p.path[k]];
    }
    const text = keyText(value);
    if (text === undefined) {
      const reason = `the value is ${describe(value)}; ${KEY_TYPES}`;
      throw resolutionError(target, template, p.source, reason);
    }
    return text;
  };

  if (parts.length === 1) {
    const only = parts[0];
    if (typeof only === 'string') return () => [only];
    return (args: readonly unknown[]) => [read(only, args)];
  }
  const count = parts.length;
  return (args: readonly unknown[]) => {
    let key = '';
    for (let k = 0; k < count; k++) {
      const part = parts[k];
      key += typeof part === 'string' ? part : read(part, args);
    }
    return [key];
  };
}

function compileKeyFunction(fn: KeyFunction, target: KeyTemplateTarget): KeyResolver {
  const label = keyFunctionName(fn);
  const call = fn as (...args: unknown[]) => unknown;
  return (args) => {
    let result: unknown;
    try {
      result = call(...args);
    } catch (cause) {
      throw resolutionError(target, label, undefined, 'the key function threw', cause);
    }
    if (typeof result === 'string') {
      if (result.length > 0) return [result];
      const reason = 'the key function returned an empty string';
      throw resolutionError(target, label, undefined, reason);
    }
    if (Array.isArray(result) && result.length > 0) {
      const keys = result as unknown[];
      for (const key of keys) {
        if (typeof key !== 'string' || key.length === 0) {
          throw resolutionError(
            target,
            label,
            undefined,
            `the key function returned an array holding ${describe(key)}; ${KEY_TYPES}`,
          );
        }
      }
      return keys.slice() as string[];
    }
    const got = Array.isArray(result) ? 'an empty array' : describe(result);
    const reason = `the key function returned ${got}; return a non-empty string or string array`;
    throw resolutionError(target, label, undefined, reason);
  };
}

function keyText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.length > 0 ? value : undefined;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return undefined;
  }
}

const KEY_TYPES = 'keys need a non-empty string, a finite number, a bigint or a boolean';

function describe(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'number') return String(value);
  if (value === '') return 'an empty string';
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

function resolutionError(
  target: KeyTemplateTarget,
  template: string,
  path: string | undefined,
  reason: string,
  cause?: unknown,
): KeyResolutionError {
  const { className, methodName } = target;
  return new KeyResolutionError({ className, methodName, template, path, reason }, { cause });
}
