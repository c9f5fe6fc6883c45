/**
 * POST /api/files/upload: an .xlsx in, its parsed model stored, a summary of its sheets out. The
 * workbook is read and validated by an intake thread (server/intake), under its limits.
 */
import { randomUUID } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
import multer from 'multer';
import type { FileStore } from '../files/file-store';
import type { ModelIntake } from '../intake/model-intake';
import { ApiError } from './errors';

export function filesRouter(
  files: FileStore,
  intake: ModelIntake,
  limits: { maxUploadBytes: number; maxUncompressedBytes: number },
) {
  const router = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: limits.maxUploadBytes, files: 1 },
  });
  const single: RequestHandler = (req, res, next) =>
    upload.single('file')(req, res, (error: unknown) => {
      if (!error) return next();
      const code = (error as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE')
        return next(
          new ApiError(413, 'too-large', `the file is larger than ${limits.maxUploadBytes / 2 ** 20} MB`),
        );
      next(new ApiError(400, 'invalid-upload', (error as Error).message));
    });

  router.post('/upload', single, async (req, res) => {
    const file = req.file;
    if (!file) throw new ApiError(400, 'invalid-upload', 'send the workbook as multipart form field "file"');
    if (!/\.xlsx$/i.test(file.originalname))
      throw new ApiError(
        415,
        'not-xlsx',
        'only .xlsx workbooks are accepted (not .xls, .xlsm, .xlsb or .csv)',
      );
    const { modelText, sheets } = await intake.readUpload({
      bytes: file.buffer,
      maxUncompressedBytes: limits.maxUncompressedBytes,
    });
    const id = randomUUID();
    const stored = { owner: res.locals.owner, filename: file.originalname, size_bytes: file.size };
    await files.save(id, stored, modelText);
    res.json({ file_id: id, filename: stored.filename, size_bytes: stored.size_bytes, sheets });
  });
  return router;
}
