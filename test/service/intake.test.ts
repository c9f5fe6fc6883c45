/**
 * The intake threads on their own: a task over the heap limit or the time limit ends its thread, not
 * the process, and the request gets why; the next task runs on a new thread; a close refuses the rest.
 */
import { ModelIntake } from '../../server/intake/model-intake';
import type { WorkbookModel } from '../../shared/model';
import { smallModel } from './helpers';

const body = (model: WorkbookModel, target = 'Sheet1!B1') =>
  new TextEncoder().encode(JSON.stringify({ model, target_cells: [target], iterations: 10 }));

/** 200,000 formula cells: several hundred MB to parse and compile, more than a 64 MB thread has. */
function bigModel(): WorkbookModel {
  const cells: WorkbookModel['sheets'][number]['cells'] = { A1: { formula: '=RiskNormal(0,1)' } };
  for (let r = 2; r <= 200_000; r++) cells[`A${r}`] = { formula: `=A${r - 1}*1.0001+RiskUniform(0,1)` };
  cells.B1 = { formula: '=A200000' };
  return { version: 1, names: [], sheets: [{ name: 'Sheet1', cells }] };
}

test('over the heap limit → 422 model-too-complex naming the limit; the next task gets a new thread', async () => {
  const intake = new ModelIntake({ threads: 1, timeoutMs: 60_000, memoryMb: 64, maxWaiting: 4 });
  try {
    await expect(intake.prepareSubmission({ body: body(bigModel()), owner: 'o' })).rejects.toMatchObject({
      status: 422,
      code: 'model-too-complex',
      message: expect.stringMatching(/needs more than 64 MB/),
    });
    const next = await intake.prepareSubmission({ body: body(smallModel(), 'B1'), owner: 'o' });
    expect(next).toMatchObject({ iterations: 10, engine: 'auto' });
  } finally {
    await intake.close();
  }
});

test('a close refuses the task in flight and those waiting with 503, and later ones too', async () => {
  const intake = new ModelIntake({ threads: 1, timeoutMs: 60_000, memoryMb: 512, maxWaiting: 4 });
  // The expectations are attached before the close, which rejects both at once.
  const inFlight = expect(intake.prepareSubmission({ body: body(bigModel()), owner: 'o' })).rejects;
  const waiting = expect(intake.prepareSubmission({ body: body(smallModel(), 'B1'), owner: 'o' })).rejects;
  const refused = Promise.all([
    inFlight.toMatchObject({ status: 503 }),
    waiting.toMatchObject({ status: 503 }),
  ]);
  await intake.close();
  await refused;
  await expect(
    intake.prepareSubmission({ body: body(smallModel(), 'B1'), owner: 'o' }),
  ).rejects.toMatchObject({
    status: 503,
  });
});

test('more tasks waiting than allowed → 503 busy', async () => {
  const intake = new ModelIntake({ threads: 1, timeoutMs: 60_000, memoryMb: 512, maxWaiting: 1 });
  try {
    const first = intake.prepareSubmission({ body: body(smallModel(), 'B1'), owner: 'o' });
    const second = intake.prepareSubmission({ body: body(smallModel(), 'B1'), owner: 'o' });
    await expect(
      intake.prepareSubmission({ body: body(smallModel(), 'B1'), owner: 'o' }),
    ).rejects.toMatchObject({
      status: 503,
      code: 'busy',
    });
    await Promise.all([first, second]);
  } finally {
    await intake.close();
  }
});
