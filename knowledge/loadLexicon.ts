import path from 'node:path';
import { defaultContentDir } from './loadContent';
import { readJsonFile } from './readJsonFile';
import { Lexicon } from './triageSchema';

export function defaultLexiconFile(): string {
  return path.join(path.dirname(defaultContentDir()), 'triage', 'lexicon.json');
}

/** Loads and validates the triage lexicon; an error names the file and field. */
export function loadLexicon(file: string = defaultLexiconFile()): Lexicon {
  return readJsonFile(file, Lexicon, 'loadLexicon()', path.join('knowledge', 'triage', path.basename(file)));
}
