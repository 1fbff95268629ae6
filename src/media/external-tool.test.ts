/**
 * Tests that need a program outside Node: under CI=true a missing one fails the run, elsewhere it is
 * skipped with one loud line; never a silent skip. "Missing" is made real by a PATH without it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toolForTests } from './external-tool.test-helper.ts';

const saved = { path: process.env['PATH'], ci: process.env['CI'] };

afterEach(() => {
  process.env['PATH'] = saved.path;
  if (saved.ci === undefined) delete process.env['CI'];
  else process.env['CI'] = saved.ci;
  vi.restoreAllMocks();
});

describe('a test that needs an external tool', () => {
  it('fails under CI=true when the tool is missing, naming it and how to install it', () => {
    process.env['PATH'] = '/nonexistent';
    process.env['CI'] = 'true';
    expect(() => toolForTests('sox', 'a check')).toThrow(/sox is required with CI=true for: a check .*apt-get install -y sox/);
  });

  it('elsewhere skips with one loud line saying what did not run', () => {
    process.env['PATH'] = '/nonexistent';
    delete process.env['CI'];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(toolForTests('ffmpeg', 'a check')).toBe(false);
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/ffmpeg not found .*SKIPPING a check; install it: apt-get install -y ffmpeg/);
  });

  it('runs the check when the tool is there', () => {
    process.env['CI'] = 'true';
    expect(toolForTests('ffmpeg', 'a check')).toBe(true);
  });
});
