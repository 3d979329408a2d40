import { GuidanceTopicDialog } from './guidanceTopicDialog';
import type { GuidanceServices } from './guidanceServices';

export const APPRENTICESHIPS_DIALOG = 'apprenticeshipsDialog';

/** Apprenticeships: levels, pay by age, finding and applying, degree and foundation apprenticeships, entry requirements. */
export class ApprenticeshipsDialog extends GuidanceTopicDialog {
  constructor(services: GuidanceServices) {
    super(APPRENTICESHIPS_DIALOG, 'apprenticeships', services);
  }
}
