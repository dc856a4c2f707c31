/**
 * A command line whose files would overwrite each other is refused before any work (exit 2, one line, nothing written):
 * `study --model m.json --html r.html --csv r.html` wrote the report, then the CSV over it, and printed both as written;
 * `--html m.json` replaced the model it had just read with the report, and `train --data d.json --out d.json` the data with
 * the model. Paths are compared as what a write replaces (sameFile): another spelling or a symbolic link of the same file,
 * or a dangling link to a file another flag writes, is the same file; a hard link is another name whose writing leaves the
 * file as it was (gradscope writes by renaming a new file into place), and runs. Saving over the model studied
 * (`--save m.json` beside `--model m.json`) is what was asked, and runs.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../util/cli.js';
import { writeStudyModelFiles, type StudyModelFiles } from '../util/study-model-files.js';

const folder = mkdtempSync(join(tmpdir(), 'gradscope-files-overwrite-'));
let files: StudyModelFiles;
const bytesOf = (paths: string[]) => paths.map((path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined));

beforeAll(async () => {
  files = await writeStudyModelFiles(folder, 3);
  mkdirSync(join(folder, 'sub'));
  symlinkSync(files.modelPath, join(folder, 'model-link.json'));
  linkSync(files.dataPath, join(folder, 'data-hard-link.json'));
  symlinkSync(join(folder, 'r.csv'), join(folder, 'csv-link.html')); // dangling: r.csv is not written yet
});
afterAll(() => files.net.dispose());

describe('files that would overwrite each other', () => {
  const study = () => ['study', '--model', files.modelPath, '--data', files.dataPath, '--epochs', '1'];
  it.each([
    ['--html and --csv of one file', () => [...study(), '--html', join(folder, 'r.html'), '--csv', join(folder, 'r.html')], /^gradscope: --csv \S+r\.html and --html \S+r\.html name the same file: the second write would replace the first; give each its own file$/],
    ['--save and --html of one file spelt two ways', () => [...study(), '--save', join(folder, 'out.json'), '--html', join(folder, 'sub', '..', 'out.json')], /^gradscope: --html \S+ and --save \S+out\.json name the same file/],
    ['--html over the model read', () => [...study(), '--html', files.modelPath], /^gradscope: --html \S+model\.json names the file --model \S+model\.json reads: writing it would replace it; give --html another file$/],
    ['--csv over the data read', () => [...study(), '--csv', files.dataPath], /^gradscope: --csv \S+data\.json names the file --data \S+data\.json reads/],
    ['--html through a symbolic link to the model', () => [...study(), '--html', join(folder, 'model-link.json')], /^gradscope: --html \S+model-link\.json names the file --model \S+model\.json reads/],
    ['--html through a dangling link to the file --csv writes', () => [...study(), '--html', join(folder, 'csv-link.html'), '--csv', join(folder, 'r.csv')], /^gradscope: --csv \S+r\.csv and --html \S+csv-link\.html name the same file: the second write would replace the first/],
    ['train --out over its --data', () => ['train', '--data', files.dataPath, '--depth', '1', '--width', '4', '--epochs', '1', '--out', files.dataPath], /^gradscope: --out \S+data\.json names the file --data \S+data\.json reads/],
  ])('%s is refused before any work, nothing written', async (_, args, message) => {
    const touched = [files.modelPath, files.dataPath, join(folder, 'r.html'), join(folder, 'out.json'), join(folder, 'r.csv')];
    const before = bytesOf(touched);
    const { code, stdout, stderr } = await runCliInProcess(args());
    expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(bytesOf(touched)).toEqual(before);
  });

  it('--save over a hard link of the data saves there and leaves the data as it was (was refused: the write replaces the link alone)', async () => {
    const data = readFileSync(files.dataPath, 'utf8');
    const link = join(folder, 'data-hard-link.json');
    const { code, stderr } = await runCliInProcess([...study(), '--save', link]);
    expect(code, stderr).toBe(0);
    expect(readFileSync(files.dataPath, 'utf8')).toBe(data);
    expect(readFileSync(link, 'utf8')).not.toBe(data);
  });

  it('study --model m.json --save m.json trains on it and saves in its place', async () => {
    const model = join(folder, 'in-place.json');
    const { code: trained } = await runCliInProcess(['train', '--data', files.dataPath, '--depth', '1', '--width', '4', '--epochs', '1', '--out', model]);
    expect(trained).toBe(0);
    const before = readFileSync(model, 'utf8');
    const { code, stderr } = await runCliInProcess(['study', '--model', model, '--data', files.dataPath, '--epochs', '1', '--save', model, '--csv', join(folder, 'in-place.csv')]);
    expect(code, stderr).toBe(0);
    expect(readFileSync(model, 'utf8')).not.toBe(before);
    expect(readFileSync(join(folder, 'in-place.csv'), 'utf8')).toMatch(/^\S/);
  });
});
