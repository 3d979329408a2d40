import { GuidanceTopicDialog } from './guidanceTopicDialog';
import type { GuidanceServices } from './guidanceServices';

export const GETTING_A_JOB_DIALOG = 'gettingAJobDialog';

/** Getting a job: the rules for 13–16 year olds, minimum wage by age, CVs, interviews, National Insurance, rights at work. Its rules depend on age, so it asks for it. */
export class GettingAJobDialog extends GuidanceTopicDialog {
  constructor(services: GuidanceServices) {
    super(GETTING_A_JOB_DIALOG, 'jobs', services);
  }
}
