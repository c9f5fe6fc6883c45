/** /api/simulations: submit, follow, read results and samples, cancel, list. */

import { Router } from 'express';
import { TERMINAL_STATUSES } from '../../shared/model';
import type { AppDeps } from './app';
import { ApiError, notFound } from './errors';

export type SimulationDeps = Pick<AppDeps, 'redis' | 'keys' | 'store' | 'queue' | 'files' | 'intake'>;

export function simulationsRouter({ redis, keys, store, queue, files, intake }: SimulationDeps): Router {
  const router = Router();

  /** The record, if it exists and belongs to the caller (another key's id answers 404 too). */
  const owned = async (id: string, owner: string) => {
    const fields = await store.fields(id);
    if (!fields || fields.owner !== owner) throw notFound('simulation', id);
    return fields;
  };

  /** The request parsed, validated and compiled by the intake, with the uploaded model it names. */
  const prepare = async (body: unknown, owner: string) => {
    if (!Buffer.isBuffer(body))
      throw new ApiError(415, 'not-json', 'send the request as JSON (Content-Type: application/json)');
    const prepared = await intake.prepareSubmission({ body, owner });
    if (!('needsFile' in prepared)) return prepared;
    const fileId = prepared.needsFile;
    const fileModelText = (await files.get(fileId, owner)) ? await files.modelText(fileId) : undefined;
    if (fileModelText === undefined) throw notFound('file', fileId);
    const withFile = await intake.prepareSubmission({ body, owner, fileModelText });
    if ('needsFile' in withFile) throw new Error('internal: the intake asked twice for the file');
    return withFile;
  };

  router.post('/run', async (req, res) => {
    const owner = res.locals.owner as string;
    const prepared = await prepare(req.body, owner);
    const submission = await queue.submit(prepared, owner);
    res.status(202).json({ ...submission, status: 'queued' });
  });

  /**
   * The same request as /run, compiled as /run compiles it but not run: the engine's refusal (422, as
   * /run would answer) or its warnings, so a client can show them before the user runs.
   */
  router.post('/check', async (req, res) => {
    const { warnings, simulations, iterations } = await prepare(req.body, res.locals.owner as string);
    res.json({ runnable: true, warnings, simulations, iterations });
  });

  router.get('/progress/:id', async (req, res) => {
    const fields = await owned(req.params.id, res.locals.owner);
    res.json(store.toProgress(req.params.id, fields));
  });

  router.get('/', async (_req, res) => {
    const ids = await redis.zrevrange(keys.ownerSimulations(res.locals.owner), 0, 99);
    const records = await Promise.all(ids.map((id) => store.get(id)));
    res.json({ simulations: records.filter((r) => r !== undefined) });
  });

  router.get('/:id', async (req, res) => {
    const id = req.params.id;
    const progress = store.toProgress(id, await owned(id, res.locals.owner));
    const results = progress.status === 'completed' ? await redis.get(keys.results(id)) : null;
    res.json({ ...progress, ...(results ? { results: JSON.parse(results) } : {}) });
  });

  router.get('/:id/samples', async (req, res) => {
    const id = req.params.id;
    const fields = await owned(id, res.locals.owner);
    if (fields.status !== 'completed')
      throw new ApiError(409, 'not-completed', 'samples exist once the run completed');
    const results = JSON.parse((await redis.get(keys.results(id))) ?? '{"outputs":{}}') as {
      outputs: Record<string, unknown>;
    };
    const names = Object.keys(results.outputs);
    const output = typeof req.query.output === 'string' ? req.query.output : names[0];
    const index = names.indexOf(output);
    if (index < 0) throw new ApiError(404, 'not-found', `no output ${output}; outputs: ${names.join(', ')}`);
    const bytes = await redis.getBuffer(keys.samples(id, index));
    if (!bytes) throw new ApiError(404, 'expired', 'the samples of this run have expired');
    if (req.accepts(['application/octet-stream', 'text/csv']) === 'text/csv') {
      const values = new Float64Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      res.type('text/csv').send(`${output}\n${Array.from(values).join('\n')}\n`);
      return;
    }
    res.type('application/octet-stream').setHeader('X-Sample-Format', 'float64-le').send(bytes);
  });

  router.post('/:id/cancel', async (req, res) => {
    const id = req.params.id;
    const fields = await owned(id, res.locals.owner);
    if (!TERMINAL_STATUSES.includes(fields.status as never)) await queue.cancel(id);
    res.status(202).json(await store.get(id));
  });

  return router;
}
