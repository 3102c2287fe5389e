import { Field, Float, ObjectType } from 'type-graphql';

import { namedEnum } from '../../graphql/enums';

export const Verdict = namedEnum('Verdict', "What a run's threshold calls an image.", {
  NORMAL: 'Its score is below the threshold.',
  ANOMALOUS: 'Its score is at or above the threshold.',
});
export type Verdict = keyof typeof Verdict;

export const ThresholdSource = namedEnum('ThresholdSource', "Where a run's threshold comes from.", {
  EVALUATION: "The image F1-max threshold of the run's latest evaluation.",
  MANUAL: 'Set by a person with setRunThreshold.',
});
export type ThresholdSource = keyof typeof ThresholdSource;

@ObjectType({
  description:
    'How a run turns scores into verdicts: images scoring at or above `threshold` are called anomalous, and each ' +
    'score is normalised to 0-1 as anomalib does: 0.5 + (score - threshold) / (scoreMax - scoreMin), clamped, so ' +
    'that 0.5 is the threshold whatever the map and model.',
  simpleResolvers: true,
})
export class RunDecision {
  @Field(() => Float, { description: 'Image scores at or above it are called anomalous (raw score units).' })
  threshold!: number;

  @Field(() => ThresholdSource, { description: 'Where the threshold comes from.' })
  source!: ThresholdSource;

  @Field(() => Float, {
    nullable: true,
    description:
      "The latest evaluation's image F1-max threshold (what a MANUAL threshold overrides); null without one.",
  })
  evaluatedThreshold!: number | null;

  @Field(() => Float, { description: "The run's lowest image score." })
  scoreMin!: number;

  @Field(() => Float, { description: "The run's highest image score." })
  scoreMax!: number;
}
