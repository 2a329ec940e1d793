namespace HpcTune.Service.Tests;
