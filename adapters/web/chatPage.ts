import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { School } from '../../bot/schools/schoolDirectory';
import { fill } from '../../dialogs/replies';
import type { Content } from '../../knowledge/loadContent';
import { projectRoot } from '../paths';
import type { AssetManifest } from './assetManifest';

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** What the page shows before any script runs, from content: each entry a paragraph. */
export interface ChatPageText {
  /** the bot's greeting, as Web Chat will show it a moment later */
  greeting: string[];
  /** the ways to talk to someone now, in the words the bot's crisis replies use */
  contacts: string[];
  /** shown when the chat cannot start (the turn-error text: an apology and the contacts) */
  startFailed: string[];
}

const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);

/** Read once at start, so content edits (a contact's hours, a new line) reach the page with the bot. */
export function chatPageText(content: Content, retentionDays: number): ChatPageText {
  return {
    greeting: [...paragraphs(content.answer('welcome.intro').text), ...paragraphs(fill(content.answer('welcome.privacy').text, { retentionDays }))],
    contacts: paragraphs(content.answer('crisis.contacts').text),
    startFailed: paragraphs(content.answer('error.turn').text),
  };
}

/** One rendering of the page, with its compressed forms made once. */
export interface RenderedPage {
  html: Buffer;
  br: Buffer;
  gzip: Buffer;
  etag: string;
}

/**
 * Paragraphs as HTML. Content writes a list as lines starting "- " (as the bot sends it to Web
 * Chat, where it shows as typed); here they become a real list, which screen readers count.
 */
function asHtml(indent: string, items: string[], firstAttributes = ''): string {
  return items
    .map((item, index) => {
      const attributes = index === 0 ? firstAttributes : '';
      const lines = item.split('\n');
      const listed = lines.filter((line) => line.startsWith('- '));
      if (listed.length === 0) return `${indent}<p${attributes}>${lines.map(escapeHtml).join('<br />')}</p>`;
      const lead = lines.filter((line) => !line.startsWith('- '));
      const list = `${indent}<ul>\n${listed.map((line) => `${indent}  <li>${escapeHtml(line.slice(2).trim())}</li>`).join('\n')}\n${indent}</ul>`;
      return lead.length > 0 ? `${indent}<p${attributes}>${lead.map(escapeHtml).join('<br />')}</p>\n${list}` : list;
    })
    .join('\n');
}

/**
 * The chat page: the template (adapters/web/public/index.html, where the page's own words are)
 * filled with the greeting and contacts from content, the school's name, the page's styles and
 * the hashed names of its scripts.
 * Each school's page is made and compressed on its first request and kept.
 */
export class ChatPages {
  private readonly made = new Map<string, RenderedPage>();

  private readonly styles: string;

  constructor(
    private readonly text: ChatPageText,
    private readonly manifest: AssetManifest,
    assetsDir: string,
    private readonly template = readFileSync(path.join(projectRoot(), 'adapters', 'web', 'public', 'index.html'), 'utf8'),
  ) {
    this.styles = readFileSync(path.join(assetsDir, 'assets', manifest.assets['page.css']), 'utf8').trim();
  }

  /** `school` is named in the header on its own address (`/s/<id>`), not on `/`. */
  get(school?: School): RenderedPage {
    const key = school?.id ?? '';
    const found = this.made.get(key);
    if (found) return found;
    const rendered = this.render(school);
    this.made.set(key, rendered);
    return rendered;
  }

  private render(school?: School): RenderedPage {
    const values: Record<string, string> = {
      school: school ? `      <p class="school">${escapeHtml(school.name)}</p>` : '',
      // elementtiming: the browser notes when the greeting is first painted (`npm run bench:page` reads it).
      greeting: asHtml('        ', this.text.greeting, ' elementtiming="greeting"'),
      contacts: asHtml('          ', this.text.contacts),
      startFailed: asHtml('      ', this.text.startFailed),
    };
    for (const [name, file] of Object.entries(this.manifest.assets)) values[`asset:${name}`] = `/assets/${file}`;
    // The styles go in the page itself: a separate file would cost a round trip before the greeting shows.
    values['inline:page.css'] = this.styles;
    const filled = this.template.replace(/\{\{([a-zA-Z.:]+)\}\}/g, (_whole, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`ChatPages: the page template names {{${name}}}, which is not known`);
      return value;
    });
    // A school-less page drops the empty line its {{school}} left.
    const html = Buffer.from(filled.replace(/\n\s*\n/g, '\n'));
    return {
      html,
      br: brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
      gzip: gzipSync(html, { level: constants.Z_BEST_COMPRESSION }),
      // Weak: the Brotli, gzip and plain bodies are the same page, so they share it.
      etag: `W/"${createHash('sha256').update(html).digest('base64url').slice(0, 22)}"`,
    };
  }
}
