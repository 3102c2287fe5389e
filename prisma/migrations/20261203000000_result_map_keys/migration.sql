-- AlterTable: a result keeps every map type the run made (attention, residual, SSIM, MSGMS, ...), not only
-- attention and residual, in the pipeline's order: [{ "mapType": ..., "key": ... }]. The keys stored in the two
-- old columns move into it before they go, attention first as the pipeline orders them.
ALTER TABLE "Result" ADD COLUMN     "mapKeys" JSONB NOT NULL DEFAULT '[]';

UPDATE "Result" SET "mapKeys" = (
  SELECT jsonb_agg(jsonb_build_object('mapType', stored."mapType", 'key', stored.key) ORDER BY stored.position)
  FROM (VALUES (1, 'attention', "attentionMapKey"), (2, 'residual', "residualMapKey"))
    AS stored(position, "mapType", key)
  WHERE stored.key IS NOT NULL
)
WHERE "attentionMapKey" IS NOT NULL OR "residualMapKey" IS NOT NULL;

ALTER TABLE "Result" DROP COLUMN "attentionMapKey",
DROP COLUMN "residualMapKey";
