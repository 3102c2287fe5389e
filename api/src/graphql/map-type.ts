import { MAP_TYPE_DESCRIPTIONS, MAP_TYPE_NAMES, type MapTypeName } from '@vad/models';
import { registerEnumType } from 'type-graphql';

// The pipeline's map types (models/src/maps/glossary.ts) as one GraphQL enum, for every field and argument that
// names a map. Each value is the pipeline's own name, as reports, export zips and file URLs (`<mapType>.png`)
// write it, with `-` written `_` since a GraphQL name cannot hold a hyphen: the values clients compared strings
// against before the enum existed are unchanged, and `attention-loss` is `attention_loss`. Lower case, unlike the
// other enums, for that reason. Internally the values are the pipeline's names, so resolvers pass stored names
// through and arguments arrive as them.

type EnumName<T extends string> = T extends `${infer Head}-${infer Tail}` ? `${Head}_${EnumName<Tail>}` : T;

/** A map type's GraphQL value: the pipeline's name with `_` for `-`. */
export function mapTypeValue<T extends MapTypeName>(name: T): EnumName<T> {
  return name.replaceAll('-', '_') as EnumName<T>;
}

export const MapType = Object.fromEntries(MAP_TYPE_NAMES.map((name) => [mapTypeValue(name), name])) as {
  readonly [T in MapTypeName as EnumName<T>]: T;
};
export type MapType = MapTypeName;

registerEnumType(MapType, {
  name: 'MapType',
  description:
    'A map type a run makes of each test image: the attention maps, the reconstruction maps ' +
    '(residual, ssim, msgms) and the segmentation reference. Values are the names reports, exports and file ' +
    "URLs use, `-` written `_` (`attention_loss` is the files' `attention-loss`).",
  valuesConfig: Object.fromEntries(
    MAP_TYPE_NAMES.map((name) => [mapTypeValue(name), { description: MAP_TYPE_DESCRIPTIONS[name] }]),
  ),
});
