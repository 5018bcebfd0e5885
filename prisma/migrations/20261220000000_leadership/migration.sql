-- Cluster mode: one row per lease (id 'dispatch'), written by the instance that takes it. The
-- epoch is the fencing token every leader write checks; httpUrl is where followers forward API
-- requests.
CREATE TABLE "Leadership" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "epoch" INTEGER NOT NULL,
    "instance" TEXT NOT NULL,
    "httpUrl" TEXT NOT NULL,
    "since" DATETIME NOT NULL
);
