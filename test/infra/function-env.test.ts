import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_CONFIG_SCHEMAS, type FunctionName, variableNameProblems } from '../../functions/lib/config';
import { buildApp } from '../../infra/build';
import { EsrFunction, PLATFORM_VARIABLES } from '../../infra/constructs/esr-function';

/** Every function's synthesised environment against the one schema its code parses at cold start. */

const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
const PLATFORM = PLATFORM_VARIABLES;
let outdir: string;
let built: ReturnType<typeof buildApp>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'esr-cdk-'));
  built = buildApp({
    context: { ...cdkContext, allowApiHostLinks: true, 'aws:cdk:bundling-stacks': [] },
    outdir,
  });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const synthesised = () =>
  built.stack.node
    .findAll()
    .filter((node): node is EsrFunction => node instanceof EsrFunction)
    .map((fn) => {
      const cfn = fn.fn.node.defaultChild as CfnFunction;
      const env = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> };
      return { entry: fn.entry, variables: env.variables ?? {} };
    });

describe('function environments', () => {
  it('declares a schema for every function the stack deploys', () => {
    const entries = synthesised().map((fn) => fn.entry);
    expect(entries.length).toBeGreaterThanOrEqual(6);
    expect(entries.filter((entry) => !(entry in FUNCTION_CONFIG_SCHEMAS))).toEqual([]);
  });

  it('gives each function exactly the variables of its schema, every literal value valid', () => {
    for (const { entry, variables } of synthesised()) {
      const schema = FUNCTION_CONFIG_SCHEMAS[entry as FunctionName];
      const names = Object.keys(variables).filter((name) => !PLATFORM.has(name));
      expect({ entry, problems: variableNameProblems(schema, names) }).toEqual({ entry, problems: [] });
      // Values CloudFormation resolves at deploy time (Ref, GetAtt, Join) are checked by name only.
      for (const [name, value] of Object.entries(variables)) {
        if (typeof value !== 'string' || PLATFORM.has(name)) continue;
        const field = schema.shape[name as keyof typeof schema.shape] as {
          safeParse(v: unknown): { success: boolean };
        };
        expect({ entry, name, valid: field.safeParse(value).success }).toEqual({ entry, name, valid: true });
      }
    }
  });
});
