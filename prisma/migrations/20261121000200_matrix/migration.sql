-- CreateTable
CREATE TABLE "MatrixSyncState" (
    "account" TEXT NOT NULL PRIMARY KEY,
    "syncToken" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MatrixDirectRoom" (
    "account" TEXT NOT NULL,
    "member" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("account", "member")
);

-- CreateTable
CREATE TABLE "MatrixHandledEvent" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "MatrixDirectRoom_roomId_idx" ON "MatrixDirectRoom"("roomId");

-- CreateIndex
CREATE INDEX "MatrixHandledEvent_createdAt_idx" ON "MatrixHandledEvent"("createdAt");

