import { z } from 'zod';
import { SavedReplyName, SavedReplyText, SavedReplyTitle } from './adviserText';

/** A saved reply every adviser has from the content, with the facts it states (each with its source). */
export const SeedReply = z.object({
  name: SavedReplyName,
  title: SavedReplyTitle,
  text: SavedReplyText,
  facts: z.array(z.string()).default([]),
});

export const SeedRepliesFile = z.object({ replies: z.array(SeedReply).min(1) });

export type SeedReply = z.infer<typeof SeedReply>;
