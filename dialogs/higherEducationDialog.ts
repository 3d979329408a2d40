import { GuidanceTopicDialog } from './guidanceTopicDialog';
import type { GuidanceServices } from './guidanceServices';

export const HIGHER_EDUCATION_DIALOG = 'higherEducationDialog';

/** University: UCAS steps and dates, personal statement, student finance, alternatives, Clearing. */
export class HigherEducationDialog extends GuidanceTopicDialog {
  constructor(services: GuidanceServices) {
    super(HIGHER_EDUCATION_DIALOG, 'higher-education', services);
  }
}
