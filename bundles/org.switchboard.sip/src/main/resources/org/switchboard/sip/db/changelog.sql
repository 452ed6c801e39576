--liquibase formatted sql

--changeset switchboard:sip-1
--comment: agents' extensions: only digest HA1 values are kept, never a password
CREATE TABLE SIP_EXTENSION (
    NUMBER        VARCHAR(32)  NOT NULL PRIMARY KEY,
    DISPLAY_NAME  VARCHAR(128) NOT NULL,
    HA1_MD5       VARCHAR(32)  NOT NULL,
    HA1_SHA256    VARCHAR(64)  NOT NULL,
    REALM         VARCHAR(128) NOT NULL,
    ALLOWED_NETS  VARCHAR(1024) NOT NULL,
    DIAL_OUT      BOOLEAN      NOT NULL,
    CREATED_AT    TIMESTAMP    NOT NULL,
    CHANGED_AT    TIMESTAMP    NOT NULL
);
--rollback DROP TABLE SIP_EXTENSION;
