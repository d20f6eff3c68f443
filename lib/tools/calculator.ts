import { tool } from 'ai';
import type { MathJsInstance } from 'mathjs';
import { z } from 'zod';
import { loadMathjs } from '@/lib/node/load-package';
import { toolInput } from '@/lib/tools/input-schema';

export const MAX_EXPRESSION_LENGTH = 500;

/**
 * Functions an expression must not reach (see the mathjs security guide): they change the shared instance,
 * parse arbitrary input, allocate unbounded memory (matrices, `a:b` ranges) or make answers non-deterministic.
 */
export const BLOCKED_FUNCTIONS = [
  'import',
  'createUnit',
  'config',
  'reviver',
  'evaluate',
  'parse',
  'compile',
  'resolve',
  'simplify',
  'simplifyConstant',
  'simplifyCore',
  'rationalize',
  'derivative',
  'leafCount',
  'parser',
  'zeros',
  'ones',
  'identity',
  'range',
  'matrixFromFunction',
  'resize',
  'kron',
  'random',
  'randomInt',
  'pickRandom',
] as const;

const MAX_RESULT_LENGTH = 10_000;

type Sandbox = { math: MathJsInstance; evaluate: (expression: string) => unknown };

function createSandbox(): Sandbox {
  const { all, create } = loadMathjs();
  // mathjs types `all` as possibly undefined under noUncheckedIndexedAccess; it is always present.
  if (!all) throw new Error('The mathjs function set is unavailable.');
  const math = create(all);
  // Keep the real evaluator before the expression-level functions are replaced.
  const evaluate = math.evaluate.bind(math);
  const disabled = Object.fromEntries(
    BLOCKED_FUNCTIONS.map((name) => [
      name,
      () => {
        throw new Error(`the function "${name}" is not available in the calculator`);
      },
    ]),
  );
  math.import(disabled, { override: true });
  return { math, evaluate: (expression) => evaluate(expression) };
}

let sandbox: Sandbox | undefined;

export type CalculatorOutput = {
  expression: string;
  /** The result as mathjs formats it: "391", "0.33333333333333", "2i", "1.9685039370079 inch". */
  result: string;
};

/** Evaluates an arithmetic expression with a restricted mathjs instance; throws a clear Error on bad input. */
export function calculate(expression: string): CalculatorOutput {
  const trimmed = expression.trim();
  if (trimmed === '') throw new Error('The expression is empty.');
  if (trimmed.length > MAX_EXPRESSION_LENGTH) {
    throw new Error(`The expression is too long (${trimmed.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}).`);
  }
  sandbox ??= createSandbox();
  const { math, evaluate } = sandbox;

  let value: unknown;
  try {
    value = evaluate(trimmed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /call stack/i.test(message) ? 'the expression recurses too deeply' : message;
    throw new Error(`Cannot evaluate "${trimmed}": ${reason}`);
  }
  // "a = 2; a * 3" evaluates to a ResultSet: the answer is its last entry.
  if (math.isResultSet(value)) {
    value = value.entries.at(-1);
  }
  if (value === undefined || value === null || typeof value === 'function') {
    throw new Error(`"${trimmed}" does not evaluate to a value.`);
  }
  const result = math.format(value, { precision: 14, lowerExp: -9, upperExp: 21 });
  if (result.length > MAX_RESULT_LENGTH) throw new Error(`The result of "${trimmed}" is too large to show.`);
  return { expression: trimmed, result };
}

export const calculator = tool({
  description:
    'Evaluate a mathematical expression exactly, using the mathjs syntax. Use it for any arithmetic ' +
    'instead of computing in your head. Supports + - * / ^ %, parentheses, factorial (5!), functions ' +
    '(sqrt, cbrt, abs, round, floor, ceil, exp, log, log10, sin, cos, tan, …), constants (pi, e) and ' +
    'unit conversions ("5 cm to inch"). Examples: "17 * 23", "(2 + 3)^4", "sqrt(144)", "15% * 80".',
  inputSchema: toolInput(
    z.object({
      expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH).describe('The expression to evaluate, e.g. "17 * 23" or "sqrt(2) / 2".'),
    }),
  ),
  execute: ({ expression }): CalculatorOutput => calculate(expression),
});
