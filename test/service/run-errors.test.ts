/** How a run's failure reads to its user: an engine error as it is, a bug as a reference, never a stack. */
import { EngineError } from '../../server/engine/errors';
import { RunError, toSimulationError } from '../../server/workers/run-error';

test('a bug becomes a message with a reference; the stack goes to the log under the same reference', () => {
  const log = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const bug = new TypeError("Cannot read properties of undefined (reading 'values')");
    const failure = toSimulationError(bug);
    expect(failure.code).toBe('internal');
    expect(failure.message).not.toMatch(/Cannot read|at |\.ts/);
    const reference = failure.message.match(/reference ([0-9a-f-]{36})/)?.[1];
    expect(reference).toBeDefined();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0][0])).toContain(reference);
    expect(String(log.mock.calls[0][0])).toContain(bug.stack);
  } finally {
    log.mockRestore();
  }
});

test('workers that died on a chunk more often than BullMQ allows: worker-lost, saying what to do', () => {
  expect(toSimulationError(new Error('job stalled more than allowable limit'))).toMatchObject({
    code: 'worker-lost',
    message: expect.stringMatching(/died repeatedly.*THREAD_MEMORY_MB/),
  });
});

test('engine and run errors keep their code and message', () => {
  expect(toSimulationError(new EngineError('circular-reference', 'B1 refers to itself'))).toMatchObject({
    code: 'circular-reference',
    message: 'B1 refers to itself',
  });
  expect(toSimulationError(new RunError('lost-chunk', 'chunk 3 is missing'))).toEqual({
    code: 'lost-chunk',
    message: 'chunk 3 is missing',
  });
});
