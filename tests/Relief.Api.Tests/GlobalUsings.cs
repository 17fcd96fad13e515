global using Relief.Api.Households;
global using Relief.Api.Tests.Support;
