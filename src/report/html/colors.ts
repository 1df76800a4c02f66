// The report's colours: SS and MSSI from Tableau's categorical scheme, the heat maps
// in viridis (perceptually uniform, readable in grey and by most colour-blind readers).

import { interpolateViridis, schemeTableau10 } from 'd3-scale-chromatic';

export const SS_COLOR = schemeTableau10[0]!;
export const MSSI_COLOR = schemeTableau10[1]!;
export const HEAT_INTERPOLATOR = interpolateViridis;
/** A heat map's empty cells (no event). */
export const EMPTY_CELL = '#eeeeee';
