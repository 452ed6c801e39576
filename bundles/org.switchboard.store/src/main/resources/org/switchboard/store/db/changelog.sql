--liquibase formatted sql

--changeset switchboard:store-1
--comment: what store:backup has done, so store:info can tell when the last good backup was made
CREATE TABLE STORE_BACKUP (
    ID          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    STARTED_AT  TIMESTAMP NOT NULL,
    FINISHED_AT TIMESTAMP NOT NULL,
    DIRECTORY   VARCHAR(1024) NOT NULL,
    BYTES       BIGINT NOT NULL,
    OUTCOME     VARCHAR(16) NOT NULL,
    DETAIL      VARCHAR(1024)
);
--rollback DROP TABLE STORE_BACKUP;
