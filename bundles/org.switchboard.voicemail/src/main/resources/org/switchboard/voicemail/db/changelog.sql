--liquibase formatted sql

--changeset switchboard:voicemail-1
--comment: the index of voice messages; the audio is in WAV files under the voicemail directory
CREATE TABLE VM_MESSAGE (
    ID            BIGINT       NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    BOX           VARCHAR(64)  NOT NULL,
    CALLER        VARCHAR(64)  NOT NULL,
    CALLER_SHOWN  VARCHAR(160) NOT NULL,
    CALL_ID       VARCHAR(32)  NOT NULL,
    LINE_ID       VARCHAR(64)  NOT NULL,
    RECEIVED_AT   TIMESTAMP    NOT NULL,
    DURATION_MS   INTEGER      NOT NULL,
    FILE_NAME     VARCHAR(256) NOT NULL,
    ENDED_BY      VARCHAR(16)  NOT NULL,
    HEARD         BOOLEAN      NOT NULL
);
CREATE INDEX VM_MESSAGE_BOX ON VM_MESSAGE (BOX, RECEIVED_AT);
--rollback DROP TABLE VM_MESSAGE;

--changeset switchboard:voicemail-2
--comment: callers who asked to be called back, for the ACD's callback queue
CREATE TABLE VM_CALLBACK (
    ID            BIGINT       NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    QUEUE_NAME    VARCHAR(64)  NOT NULL,
    NUMBER        VARCHAR(64)  NOT NULL,
    CALL_ID       VARCHAR(32)  NOT NULL,
    LINE_ID       VARCHAR(64)  NOT NULL,
    REQUESTED_AT  TIMESTAMP    NOT NULL,
    STATE         VARCHAR(16)  NOT NULL
);
CREATE INDEX VM_CALLBACK_QUEUE ON VM_CALLBACK (QUEUE_NAME, REQUESTED_AT);
--rollback DROP TABLE VM_CALLBACK;

--changeset switchboard:voicemail-3
--comment: post-call satisfaction survey: a score only when the caller pressed a valid key
CREATE TABLE SURVEY_RESULT (
    ID            BIGINT       NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    CALL_ID       VARCHAR(32)  NOT NULL,
    AGENT         VARCHAR(96)  NOT NULL,
    CALLER        VARCHAR(64)  NOT NULL,
    ASKED_AT      TIMESTAMP    NOT NULL,
    SCALE         SMALLINT     NOT NULL,
    SCORE         SMALLINT,
    OUTCOME       VARCHAR(16)  NOT NULL,
    KEY_PRESSED   VARCHAR(8)   NOT NULL
);
CREATE INDEX SURVEY_RESULT_AGENT ON SURVEY_RESULT (AGENT, ASKED_AT);
--rollback DROP TABLE SURVEY_RESULT;
