import { GuidanceTopicDialog } from './guidanceTopicDialog';
import type { GuidanceServices } from './guidanceServices';

export const GCSE_OPTIONS_DIALOG = 'gcseOptionsDialog';

/** GCSE options (Years 8–9): core and optional subjects, choosing, grades, the EBacc, careers and subjects. */
export class GcseOptionsDialog extends GuidanceTopicDialog {
  constructor(services: GuidanceServices) {
    super(GCSE_OPTIONS_DIALOG, 'gcse', services);
  }
}
