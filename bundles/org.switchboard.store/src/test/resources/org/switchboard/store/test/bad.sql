--liquibase formatted sql

--changeset test:bad-1
CREATE TABLE TICKET (ID INT PRIMARY KEY);

--changeset test:bad-2
CREATE TABLE BROKEN (ID INT PRIMARY KEY, THIS IS NOT SQL);
