"""Cluster Shelfmap's exported features with Spark MLlib and write labels Shelfmap can import.

    shelfmap export-features 3 --out features.parquet
    spark-submit docs/scale/cluster_spark.py --features features.parquet --k 40 --out labels.parquet
    shelfmap import-labels labels.parquet --name "spark k=40"

Three ways to give K-means its vectors (--vectors):
  tfidf      the sparse TF-IDF rows export-features wrote (tfidf_size, tfidf_indices, tfidf_values),
             as MLlib SparseVectors, unit length already (the default)
  embedding  the run's autoencoder embedding of each book, as DenseVectors
  hashing    no Shelfmap export at all: --texts FOLDER of .txt books (subfolders too), read whole,
             the Gutenberg header and licence cut, then RegexTokenizer, StopWordsRemover,
             HashingTF and IDF (the usual MLlib text pipeline), Normalizer; the labels name each
             book by path, which import-labels matches against the library's paths

The labels table has LABEL_COLUMNS (for --vectors hashing: path and prediction only). Written as
one file (CSV with a header, or Parquet, by --out's extension) when --out is on the local disk;
on HDFS or S3 Spark's folder of part files is kept as it is: give import-labels the part file.
See docs/scale.md. Needs pyspark 3.1 or later (pyspark.ml.functions.array_to_vector).
"""

import argparse
import glob
import os
import shutil

# The columns `shelfmap export-features` writes (src-main/engine/export-features.ts
# FEATURE_COLUMNS; a test checks the two lists agree).
FEATURE_COLUMNS = ["book_id", "ebook_id", "path", "title", "shelfmap_run", "cluster", "x", "y", "tfidf_size", "tfidf_indices", "tfidf_values", "embedding"]
# The vocabulary beside it, <name>.vocabulary.parquet.
VOCABULARY_COLUMNS = ["term_index", "term", "idf"]
# What this job writes for `shelfmap import-labels`: a book column it matches (book_id first),
# the source run (so the new run takes that run's map) and Spark's prediction as the cluster.
LABEL_COLUMNS = ["book_id", "ebook_id", "path", "shelfmap_run", "prediction"]
HASHING_LABEL_COLUMNS = ["path", "prediction"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", help="the Parquet file export-features wrote")
    parser.add_argument("--texts", help="a folder of .txt books (for --vectors hashing)")
    parser.add_argument("--vectors", choices=["tfidf", "embedding", "hashing"], default="tfidf")
    parser.add_argument("--k", type=int, default=12, help="number of clusters (default 12)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--max-iter", type=int, default=50)
    parser.add_argument("--num-features", type=int, default=1 << 18, help="HashingTF width (--vectors hashing)")
    parser.add_argument("--out", required=True, help="labels file to write: .csv or .parquet")
    args = parser.parse_args(argv)
    if args.vectors == "hashing" and not args.texts:
        parser.error("--vectors hashing reads the books themselves: give --texts FOLDER")
    if args.vectors != "hashing" and not args.features:
        parser.error("give --features FILE.parquet (from shelfmap export-features), or --vectors hashing --texts FOLDER")
    if not args.out.lower().endswith((".csv", ".parquet")):
        parser.error("--out must end in .csv or .parquet")
    return args


def exported_vectors(spark, path, which):
    """The export's rows with a `features` vector column: sparse TF-IDF or the dense embedding."""
    from pyspark.ml.functions import array_to_vector
    from pyspark.ml.linalg import SparseVector, VectorUDT
    from pyspark.sql import functions as F

    books = spark.read.parquet(path)
    missing = [c for c in FEATURE_COLUMNS if c not in books.columns]
    if missing:
        raise SystemExit(f"{path} lacks the columns {missing}: is it a shelfmap export-features file?")
    if which == "embedding":
        return books.withColumn("features", array_to_vector("embedding"))
    to_sparse = F.udf(lambda size, indices, values: SparseVector(size, indices, values), VectorUDT())
    return books.withColumn("features", to_sparse("tfidf_size", "tfidf_indices", "tfidf_values"))


def hashed_vectors(spark, folder, num_features):
    """Each .txt book of the folder as a unit-length HashingTF/IDF vector, named by its path."""
    import re

    from pyspark.ml import Pipeline
    from pyspark.ml.feature import IDF, HashingTF, Normalizer, RegexTokenizer, StopWordsRemover
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    start = re.compile(r"^[\s*]*START OF (THE |THIS )?PROJECT GUTENBERG.*$", re.I | re.M)
    end = re.compile(r"^[\s*]*END OF (THE |THIS )?PROJECT GUTENBERG", re.I | re.M)

    def body(text):
        text = text.replace("\r\n", "\n")
        found = start.search(text)
        if found:
            text = text[found.end():]
        found = end.search(text)
        return text[: found.start()] if found else text

    # every .txt under the folder, one row per file (Spark reads text as UTF-8: Latin-1 books lose
    # their accented letters here, which Shelfmap's own reader keeps)
    cut = F.udf(body, StringType())
    books = (
        spark.read.option("recursiveFileLookup", "true").option("pathGlobFilter", "*.txt").option("wholetext", True).text(folder)
        .select(F.regexp_replace(F.input_file_name(), "^file:(//)?", "").alias("path"), cut("value").alias("text"))
    )
    pipeline = Pipeline(stages=[
        RegexTokenizer(inputCol="text", outputCol="words", pattern=r"[^\p{L}\p{N}']+", minTokenLength=2),
        StopWordsRemover(inputCol="words", outputCol="content"),
        HashingTF(inputCol="content", outputCol="tf", numFeatures=num_features),
        IDF(inputCol="tf", outputCol="tfidf", minDocFreq=2),
        Normalizer(inputCol="tfidf", outputCol="features"),
    ])
    return pipeline.fit(books).transform(books)


def write_labels(labels, out):
    """One CSV or Parquet file at `out` on the local disk; Spark's part-file folder elsewhere."""
    fmt = "csv" if out.lower().endswith(".csv") else "parquet"
    local = "://" not in out or out.startswith("file://")
    target = out.replace("file://", "", 1)
    parts = target + ".parts" if local else target
    writer = labels.coalesce(1).write.mode("overwrite")
    if fmt == "csv":
        writer.option("header", True).csv(parts)
    else:
        writer.parquet(parts)
    if not local:
        return parts
    (part,) = glob.glob(os.path.join(parts, f"part-*.{fmt}" if fmt == "csv" else "part-*.parquet"))
    shutil.move(part, target)
    shutil.rmtree(parts)
    return target


def main(argv=None):
    args = parse_args(argv)
    from pyspark.ml.clustering import KMeans
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("shelfmap-kmeans").getOrCreate()
    if args.vectors == "hashing":
        books = hashed_vectors(spark, args.texts, args.num_features)
        columns = HASHING_LABEL_COLUMNS
    else:
        books = exported_vectors(spark, args.features, args.vectors)
        columns = LABEL_COLUMNS
    books = books.cache()
    model = KMeans(k=args.k, seed=args.seed, maxIter=args.max_iter, featuresCol="features", predictionCol="prediction").fit(books)
    written = write_labels(model.transform(books).select(*columns), args.out)
    print(f"K-means with k={args.k} on {books.count()} books: wrote {written}; now run: shelfmap import-labels {written}")
    spark.stop()


if __name__ == "__main__":
    main()
