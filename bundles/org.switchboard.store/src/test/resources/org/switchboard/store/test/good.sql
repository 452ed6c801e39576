--liquibase formatted sql

--changeset test:good-1
CREATE TABLE CUSTOMER (ID INT PRIMARY KEY, NAME VARCHAR(64) NOT NULL);

--changeset test:good-2
INSERT INTO CUSTOMER VALUES (1, 'Zhang Wei');
