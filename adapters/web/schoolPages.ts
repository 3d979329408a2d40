import type { School } from '../../bot/schools/schoolDirectory';
import { escapeHtml } from './chatPage';

function page(title: string, body: string, stylesheet?: string): string {
  const styles = stylesheet ? `\n    <link rel="stylesheet" href="${escapeHtml(stylesheet)}" />` : '';
  return `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="data:," />${styles}
  </head>
  <body>
    <main class="plain-page">
${body}
    </main>
  </body>
</html>
`;
}

/** `/` when SCHOOLS_FILE lists schools but no `default`: a plain list of each school's chat. */
export function schoolListPage(schools: readonly School[], stylesheet?: string): string {
  const items = schools.map((school) => `        <li><a href="/s/${encodeURIComponent(school.id)}">${escapeHtml(school.name)}</a></li>`).join('\n');
  return page('Careers chat: choose your school', `      <h1>Careers chat</h1>\n      <p>Choose your school to start a chat with the careers bot.</p>\n      <ul>\n${items}\n      </ul>`, stylesheet);
}

/** An address naming no school of this deployment. */
export function unknownSchoolPage(stylesheet?: string): string {
  return page(
    'Careers chat: school not found',
    '      <h1>School not found</h1>\n      <p>This chat address does not match a school. Please check the link your school gave you.</p>\n      <p>If you need to talk to someone now, call Childline free on 0800 1111.</p>',
    stylesheet,
  );
}
