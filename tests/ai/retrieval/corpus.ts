/** A small hand-made corpus whose words the test model knows (see scripts/generate-test-embedding-model.ts). */
export const CORPUS = [
	{
		name: 'cats.md',
		text: `# Cats

## Sleep
Cats sleep for most of the day. A kitten naps even longer than an adult cat.

## Food
A cat eats meat twice a day. Fresh water should always be near the food bowl.
`
	},
	{
		name: 'dogs.md',
		text: `# Dogs

## Walks
Dogs need a walk every morning and evening. A puppy learns to walk on a leash.

## Food
A dog eats meat and rice. See [Cats](cats.md) for how cats eat.
`
	},
	{
		name: 'cars.md',
		text: `# Automobiles

An automobile has an engine and four wheels. The engine burns petrol or diesel.

## Repairs
A mechanic in Berlin can repair the brakes and the battery of a vehicle.
`
	},
	{
		name: 'trains.md',
		text: `# Railways

A locomotive pulls passenger trains between cities. The railway from Paris to Berlin is fast.

## Tickets
A ticket costs less when you book early. Passengers with a pass pay no fee.
`
	}
];
