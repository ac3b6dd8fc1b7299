FROM alpine:3.19 AS one
CMD ["a"]
FROM alpine:3.19
CMD ["b"]
ENTRYPOINT ["x"]
