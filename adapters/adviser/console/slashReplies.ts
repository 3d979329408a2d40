import type { SavedReplyView } from '../shared/consoleApi';
import { announce, clear, el, setHidden } from './dom';
import type { ConversationView } from './conversationView';
import { fillPlaceholders, type SavedReplies } from './savedReplies';
import type { ConsoleState } from './state';

/** "/" and a name being typed at the caret: at the start, or after a space or a new line. */
const TYPED = /(^|\s)\/([a-z0-9-]*)$/;

/**
 * "/" then a name in the message box offers the saved replies that fit the open conversation's
 * school, as a list box the keyboard moves through (Up and Down), inserts from (Enter or Tab) and
 * leaves (Escape); the chosen reply replaces what was typed, its placeholders filled in.
 */
export function wireSlashReplies(state: ConsoleState, conversation: ConversationView, saved: SavedReplies): void {
  const box = state.ui.conversation.messageText;
  const list = state.ui.conversation.suggestions;
  let matches: SavedReplyView[] = [];
  let active = 0;

  const typed = (): { start: number; name: string } | null => {
    const before = box.value.slice(0, box.selectionStart ?? box.value.length);
    const found = TYPED.exec(before);
    return found ? { start: before.length - found[2].length - 1, name: found[2] } : null;
  };

  const hide = () => {
    matches = [];
    setHidden(list, true);
    box.removeAttribute('aria-activedescendant');
  };

  const render = () => {
    clear(list);
    matches.forEach((reply, index) => {
      const option = el('li', `slash__option${index === active ? ' slash__option--active' : ''}`);
      option.id = `reply-option-${index}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', String(index === active));
      option.appendChild(el('span', 'slash__name', `/${reply.name}`));
      option.appendChild(document.createTextNode(` ${reply.title}`));
      // mousedown, not click: the message box keeps the focus
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        insert(reply);
      });
      list.appendChild(option);
    });
    setHidden(list, false);
    box.setAttribute('aria-activedescendant', `reply-option-${active}`);
  };

  const update = () => {
    const found = typed();
    if (!found) return hide();
    const { name } = found;
    const usable = saved.forSchool(conversation.current?.data?.school);
    const byName = [
      ...prefixFirst(usable.filter((reply) => reply.name.startsWith(name))),
      ...usable.filter((reply) => !reply.name.startsWith(name) && name.length > 1 && reply.title.toLowerCase().includes(name)),
    ];
    matches = byName.slice(0, 8);
    if (matches.length === 0) return hide();
    active = Math.min(active, matches.length - 1);
    render();
    announce(state.ui.live, `${matches.length} saved ${matches.length === 1 ? 'reply matches' : 'replies match'}. Up and down to choose, Enter to insert.`);
  };

  const insert = (reply: SavedReplyView) => {
    const found = typed();
    if (!found) return hide();
    const caret = box.selectionStart ?? box.value.length;
    const text = fillPlaceholders(reply.text, saved.values[conversation.current?.data?.school ?? '']);
    box.value = box.value.slice(0, found.start) + text + box.value.slice(caret);
    const end = found.start + text.length;
    box.setSelectionRange(end, end);
    hide();
    announce(state.ui.live, `Inserted the saved reply ${reply.title}. Check it, then send with Control and Enter.`);
  };

  box.addEventListener('input', () => {
    active = 0;
    update();
  });
  box.addEventListener('blur', () => window.setTimeout(hide, 100));
  box.addEventListener('keydown', (event) => {
    if (matches.length === 0 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      render();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      insert(matches[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      hide();
    }
  });
}

/** The exact name first, then the rest in their order. */
function prefixFirst(replies: SavedReplyView[]): SavedReplyView[] {
  return [...replies].sort((a, b) => a.name.length - b.name.length);
}
