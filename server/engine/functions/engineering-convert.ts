/**
 * CONVERT's unit table: each unit's size in its group's base unit (factors as Excel uses them), whether it
 * takes SI prefixes, and the prefixes themselves. Temperatures are affine and handled apart.
 */
import { Errors, type ExcelError } from '../values/value';

interface Unit {
  group: string;
  factor: number;
  /** Takes decimal prefixes (and binary ones for information units). */
  prefixable: boolean;
  /** Area (2) and volume (3) units raise their prefix to this power. */
  power?: number;
}

const UNITS = new Map<string, Unit>();

function add(group: string, prefixable: boolean, entries: [string[], number][], power?: number): void {
  for (const [names, factor] of entries)
    for (const name of names) UNITS.set(name, { group, factor, prefixable, power });
}

const POUND = 0.45359237;
const INCH = 0.0254;
const FOOT = 0.3048;
const YARD = 0.9144;
const MILE = 1609.344;
const NAUTICAL_MILE = 1852;
const LIGHT_YEAR = 9460730472580800;
const PICA_POINT = INCH / 72;
const PICA = INCH / 6;
const US_GALLON = 0.003785411784;

// Weight and mass, in grams
add('mass', true, [
  [['g'], 1],
  [['u'], 1.660538782e-24],
]);
add('mass', false, [
  [['sg'], 14593.902937206363],
  [['lbm'], POUND * 1000],
  [['ozm'], (POUND * 1000) / 16],
  [['grain'], 0.06479891],
  [['cwt', 'shweight'], POUND * 100000],
  [['uk_cwt', 'lcwt'], POUND * 112000],
  [['stone'], POUND * 14000],
  [['ton'], POUND * 2000000],
  [['brton', 'LTON', 'uk_ton'], POUND * 2240000],
]);
// Distance, in metres
add('distance', true, [
  [['m'], 1],
  [['ang'], 1e-10],
  [['ly'], LIGHT_YEAR],
  [['parsec', 'pc'], 3.0856775812815532e16],
]);
add('distance', false, [
  [['mi'], MILE],
  [['Nmi'], NAUTICAL_MILE],
  [['in'], INCH],
  [['ft'], FOOT],
  [['yd'], YARD],
  [['ell'], 1.143],
  [['Picapt', 'Pica'], PICA_POINT],
  [['pica'], PICA],
  [['survey_mi'], 1609.3472186944373],
]);
// Time, in seconds
add('time', true, [[['sec', 's'], 1]]);
add('time', false, [
  [['yr'], 31557600],
  [['day', 'd'], 86400],
  [['hr'], 3600],
  [['mn', 'min'], 60],
]);
// Pressure, in pascals
add('pressure', true, [
  [['Pa', 'p'], 1],
  [['atm', 'at'], 101325],
  [['mmHg'], 133.322],
]);
add('pressure', false, [
  [['psi'], 6894.7572931683617],
  [['Torr'], 101325 / 760],
]);
// Force, in newtons
add('force', true, [
  [['N'], 1],
  [['dyn', 'dy'], 1e-5],
  [['pond'], 0.00980665],
]);
add('force', false, [[['lbf'], 4.4482216152605005]]);
// Energy, in joules
add('energy', true, [
  [['J'], 1],
  [['e'], 1e-7],
  [['c'], 4.184],
  [['cal'], 4.1868],
  [['eV', 'ev'], 1.602176487e-19],
  [['Wh', 'wh'], 3600],
]);
add('energy', false, [
  [['HPh', 'hh'], 2684519.5376961729],
  [['flb'], 1.3558179483314003],
  [['BTU', 'btu'], 1055.05585262],
]);
// Power, in watts
add('power', true, [[['W', 'w'], 1]]);
add('power', false, [
  [['HP', 'h'], 745.69987158227025],
  [['PS'], 735.49875],
]);
// Magnetism, in teslas
add('magnetism', true, [
  [['T'], 1],
  [['ga'], 1e-4],
]);
// Speed, in metres per second
add('speed', true, [
  [['m/h', 'm/hr'], 1 / 3600],
  [['m/s', 'm/sec'], 1],
]);
add('speed', true, [[['mph'], MILE / 3600]]);
add('speed', false, [
  [['admkn'], 0.51477333333333331],
  [['kn'], NAUTICAL_MILE / 3600],
]);
// Information, in bits
add('information', true, [
  [['bit'], 1],
  [['byte'], 8],
]);

/** Area and volume units come in `x2`/`x^2` and `x3`/`x^3` spellings. */
function addPowered(group: string, power: number, prefixable: boolean, entries: [string, number][]): void {
  for (const [base, length] of entries)
    add(group, prefixable, [[[`${base}${power}`, `${base}^${power}`], length ** power]], power);
}

// Area, in square metres
addPowered('area', 2, true, [
  ['m', 1],
  ['ang', 1e-10],
]);
addPowered('area', 2, false, [
  ['ft', FOOT],
  ['in', INCH],
  ['ly', LIGHT_YEAR],
  ['mi', MILE],
  ['Nmi', NAUTICAL_MILE],
  ['Picapt', PICA_POINT],
  ['Pica', PICA_POINT],
  ['yd', YARD],
]);
add('area', true, [[['ar'], 100]]);
add('area', false, [
  [['uk_acre'], 4046.8564224],
  [['us_acre'], 4046.8726098742522],
  [['ha'], 10000],
  [['Morgen'], 2500],
]);
// Volume, in cubic metres
addPowered('volume', 3, true, [
  ['m', 1],
  ['ang', 1e-10],
]);
addPowered('volume', 3, false, [
  ['ft', FOOT],
  ['in', INCH],
  ['ly', LIGHT_YEAR],
  ['mi', MILE],
  ['Nmi', NAUTICAL_MILE],
  ['Picapt', PICA_POINT],
  ['Pica', PICA_POINT],
  ['yd', YARD],
]);
add('volume', true, [
  [['l', 'L', 'lt'], 0.001],
  [['uk_pt'], 0.00056826125],
]);
add('volume', false, [
  [['tsp'], US_GALLON / 768],
  [['tspm'], 5e-6],
  [['tbs'], US_GALLON / 256],
  [['oz'], US_GALLON / 128],
  [['cup'], US_GALLON / 16],
  [['pt', 'us_pt'], US_GALLON / 8],
  [['qt'], US_GALLON / 4],
  [['uk_qt'], 0.0011365225],
  [['gal'], US_GALLON],
  [['uk_gal'], 0.00454609],
  [['barrel'], US_GALLON * 42],
  [['bushel'], 0.03523907016688],
  [['GRT', 'regton'], 2.8316846592],
  [['MTON'], 1.13267386368],
]);

const DECIMAL_PREFIXES: Record<string, number> = {
  Y: 1e24,
  Z: 1e21,
  E: 1e18,
  P: 1e15,
  T: 1e12,
  G: 1e9,
  M: 1e6,
  k: 1e3,
  h: 1e2,
  da: 1e1,
  e: 1e1,
  d: 1e-1,
  c: 1e-2,
  m: 1e-3,
  u: 1e-6,
  n: 1e-9,
  p: 1e-12,
  f: 1e-15,
  a: 1e-18,
  z: 1e-21,
  y: 1e-24,
};

const BINARY_PREFIXES: Record<string, number> = {
  Yi: 2 ** 80,
  Zi: 2 ** 70,
  Ei: 2 ** 60,
  Pi: 2 ** 50,
  Ti: 2 ** 40,
  Gi: 2 ** 30,
  Mi: 2 ** 20,
  ki: 2 ** 10,
};

const TEMPERATURES = new Set(['C', 'cel', 'F', 'fah', 'K', 'kel', 'Rank', 'Reau']);

interface Resolved {
  group: string;
  factor: number;
  /** Temperature scale name, for the affine conversions. */
  temperature?: string;
}

function resolve(name: string): Resolved | undefined {
  if (TEMPERATURES.has(name)) return { group: 'temperature', factor: 1, temperature: name };
  const unit = UNITS.get(name);
  if (unit) return unit;
  for (const length of [2, 1]) {
    const prefix = name.slice(0, length);
    const rest = name.slice(length);
    const scale = BINARY_PREFIXES[prefix] ?? DECIMAL_PREFIXES[prefix];
    if (scale === undefined || rest === '') continue;
    if (BINARY_PREFIXES[prefix] !== undefined && UNITS.get(rest)?.group !== 'information') continue;
    if (rest === 'K' || rest === 'kel') return { group: 'temperature', factor: scale, temperature: 'K' };
    const base = UNITS.get(rest);
    if (base?.prefixable) return { group: base.group, factor: base.factor * scale ** (base.power ?? 1) };
  }
  return undefined;
}

function toKelvin(x: number, scale: string): number {
  switch (scale) {
    case 'C':
    case 'cel':
      return x + 273.15;
    case 'F':
    case 'fah':
      return ((x - 32) * 5) / 9 + 273.15;
    case 'Rank':
      return (x * 5) / 9;
    case 'Reau':
      return x * 1.25 + 273.15;
    default:
      return x;
  }
}

function fromKelvin(k: number, scale: string): number {
  switch (scale) {
    case 'C':
    case 'cel':
      return k - 273.15;
    case 'F':
    case 'fah':
      return ((k - 273.15) * 9) / 5 + 32;
    case 'Rank':
      return (k * 9) / 5;
    case 'Reau':
      return (k - 273.15) * 0.8;
    default:
      return k;
  }
}

export function convertUnits(x: number, from: string, to: string): number | ExcelError {
  const a = resolve(from);
  const b = resolve(to);
  if (!a || !b || a.group !== b.group) return Errors.NA;
  if (a.temperature && b.temperature) {
    const kelvin = toKelvin(x * a.factor, a.temperature);
    return fromKelvin(kelvin, b.temperature) / b.factor;
  }
  return (x * a.factor) / b.factor;
}
