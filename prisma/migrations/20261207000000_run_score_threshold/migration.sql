-- A threshold on image scores set by a person. Null: the latest evaluation's image F1-max threshold decides.
ALTER TABLE "Run" ADD COLUMN "scoreThreshold" DOUBLE PRECISION;
