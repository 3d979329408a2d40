import { GuidanceTopicDialog } from './guidanceTopicDialog';
import type { GuidanceServices } from './guidanceServices';

export const POST16_DIALOG = 'post16Dialog';

/** After 16 (Years 10–11): every route to 18 (sixth form, college, T Levels, apprenticeships, work with training), A levels, resits, the bursary. */
export class Post16Dialog extends GuidanceTopicDialog {
  constructor(services: GuidanceServices) {
    super(POST16_DIALOG, 'post16', services);
  }
}
